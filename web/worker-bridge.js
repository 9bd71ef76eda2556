// One Web Worker with its module, and the calls waiting for its replies. The calls are made from the list in
// operations.js: channel.ops.run(caseJson, optionsJson, {onProgress, signal}) and so on, one method per entry,
// its text arguments checked against the entry. Each call may carry an AbortSignal: aborting it stops the
// worker at once (a search cannot be interrupted any other way) and starts a fresh one.

import {OPERATIONS} from './operations.js';
import {PlannerError, plannerError} from './planner-error.js';

export class WorkerChannel {
  #workerUrl;
  #worker = null;
  #ready = null;
  #rejectReady = null;   // of the current worker's ready: one terminated while loading never sends 'ready'
  #pending = new Map();  // id -> {resolve, reject, onProgress}
  #nextId = 1;
  // One method per operation: (...args, {onProgress, signal} = {}) => Promise of the payload's text.
  ops = Object.fromEntries(Object.entries(OPERATIONS).map(([name, op]) => [name, (...values) => {
    const args = values.slice(0, op.args.length);
    if (args.length !== op.args.length || args.some((a) => typeof a !== 'string')) {
      return Promise.reject(new TypeError(`${name}: expected the texts ${op.args.join(', ')}`));
    }
    return this.#call(name, args, values[op.args.length]);
  }]));

  constructor(workerUrl) {
    this.#workerUrl = workerUrl;
    this.#start();
  }

  // Resolves once the WebAssembly module is loaded in the worker.
  get ready() {
    return this.#ready;
  }

  get closed() {
    return this.#worker === null;
  }

  // True while a call waits for its reply.
  get busy() {
    return this.#pending.size > 0;
  }

  #start() {
    const worker = new Worker(this.#workerUrl);
    this.#worker = worker;
    worker.postMessage({type: 'operations', operations: OPERATIONS});
    this.#ready = new Promise((resolve, reject) => {
      this.#rejectReady = reject;
      worker.onmessage = (e) => this.#onMessage(e.data, resolve, reject);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new PlannerError(`the planner worker failed to start: ${e.message || 'unknown error'}`, 'crashed'));
        this.#failAll('the planner worker stopped', 'crashed');
      };
    });
    // Nobody may be waiting on ready yet; an unobserved rejection must not end up on the console.
    this.#ready.catch(() => {});
  }

  #onMessage(message, resolveReady, rejectReady) {
    if (message.type === 'ready') {
      resolveReady();
      return;
    }
    if (message.type === 'fatal') {
      rejectReady(new PlannerError(message.message, 'crashed'));
      this.#failAll(message.message, 'crashed');
      return;
    }
    const call = this.#pending.get(message.id);
    if (!call) return;
    if (message.type === 'progress') {
      call.onProgress?.(message.event);
      return;
    }
    if (message.type === 'reply') {
      this.#pending.delete(message.id);
      if (message.error) call.reject(plannerError(message.error, message.crashed));
      else call.resolve(message.text);
      if (message.crashed) this.restart();
    }
  }

  #failAll(message, kind) {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) call.reject(new PlannerError(message, kind));
  }

  #call(op, args, {onProgress, signal} = {}) {
    if (this.#worker === null) return Promise.reject(new PlannerError('the planner is closed', 'cancelled'));
    if (signal?.aborted) return Promise.reject(new PlannerError('cancelled', 'cancelled'));
    const id = this.#nextId++;
    const abort = () => this.restart();
    signal?.addEventListener('abort', abort, {once: true});
    const done = () => signal?.removeEventListener('abort', abort);
    return new Promise((resolve, reject) => {
      const settle = (f) => (value) => {
        done();
        f(value);
      };
      this.#pending.set(id, {resolve: settle(resolve), reject: settle(reject), onProgress});
      this.#worker.postMessage({id, op, args, progress: Boolean(onProgress)});
    });
  }

  // Stops whatever runs at once (terminating is immediate, a message would wait for the search) and starts a
  // fresh worker; pending calls reject with kind 'cancelled'.
  restart() {
    if (this.#worker === null) return;
    this.#terminate('cancelled');
    this.#start();
  }

  close() {
    if (this.#worker === null) return;
    this.#terminate('the planner is closed');
    this.#worker = null;
  }

  // Whoever waits on this worker (its ready, its calls) learns that it is gone (no effect on a settled ready).
  #terminate(message) {
    this.#worker.terminate();
    this.#rejectReady(new PlannerError(message, 'cancelled'));
    this.#failAll(message, 'cancelled');
  }
}
