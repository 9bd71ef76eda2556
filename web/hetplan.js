// hetplan in the browser: plan LLM training on a cluster of mixed GPUs, from your own scripts.
//
// The planner runs in a Web Worker (WebAssembly), so calling it never freezes the page. Everything stays in
// the browser: this module loads worker.js, hetplan-core.js and hetplan-core.wasm from its own folder.
//
//   import {createPlanner} from './hetplan.js';
//
//   const planner = await createPlanner();
//   // A synthetic cluster: 16 V100 (4 nodes) + 16 A100 (4 nodes), a 10-layer GPT, the published bounds.
//   const result = await planner.plan({
//     types: [
//       {name: 'V100', memory: 16, intra_bandwidth: 50, inter_bandwidth: 10, time_factor: 3.5, nodes: 4,
//        gpus_per_node: 4},
//       {name: 'A100', memory: 80, intra_bandwidth: 46, inter_bandwidth: 10, time_factor: 1, nodes: 4,
//        gpus_per_node: 4},
//     ],
//     layers: 10, max_batch_size: 128,
//     args: {num_layers: 10, gbs: 128, max_profiled_tp_degree: 128, max_profiled_batch_size: 128,
//            min_group_scale_variance: 1, max_permute_len: 128},
//   }, {strategy: 'both', top: 3}, (p) => console.log(p.strategy, p.steps));
//   console.log(result.metis.count, result.pruned.count);  // 612 562
//   planner.close();
//
// plan(input, options, onProgress)
//   input: a case (an object or JSON text with "hostfile", "clusterfile", "profiles" or "synthetic", "args":
//     what the page's "Export case" writes and `hetplan plan --case-json` reads) or a synthetic spec (with
//     "types", "layers", "max_batch_size", "args"; see core/include/hetplan/json_api.hpp).
//   options: {strategy: 'metis' | 'pruned' | 'both' (default), cost_model: 'corrected' (default) | 'reference',
//     top: K (default 1), progress_interval_ms: T (default 100), progress_slices: S (default 16)}.
//   onProgress(event), about ten times a second, after each sixteenth of the inter-stage plans, and once at
//     the end of each strategy (final: true): {strategy, steps, inter_done, inter_total, costed, best_cost (null
//     before the first costed plan), elapsed_ms, final}.
//   Resolves to what `hetplan plan --json` prints: R = {strategy, cost_model, count, costed_plans, elapsed_ms,
//     top: [...]} for one strategy, or {metis: R, pruned: R} for both. planJson() resolves to that JSON text.
//   Rejects with a PlannerError: kind 'input' (the message names the file and field), 'cancelled' or 'crashed'.
//
// validate(caseInput) resolves to a summary of the case (GPUs, types, layers, inter-stage plans).
// synthetic(spec) resolves to the case object the spec generates (profiles included).
// cancel() stops whatever runs at once (the worker is terminated and a fresh one started); pending calls
//   reject with kind 'cancelled'.
// close() terminates the worker for good.

export class PlannerError extends Error {
  constructor(message, kind) {
    super(message);
    this.name = 'PlannerError';
    this.kind = kind;  // 'input' | 'cancelled' | 'crashed'
  }
}

const asText = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

function isSpec(input) {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return false;  // not JSON at all: the module says so, with the position
    }
  }
  return value !== null && typeof value === 'object' && !('hostfile' in value) && Array.isArray(value.types);
}

class Planner {
  #workerUrl;
  #worker = null;
  #ready = null;
  #pending = new Map();  // id -> {resolve, reject, onProgress}
  #nextId = 1;

  constructor(workerUrl) {
    this.#workerUrl = workerUrl;
    this.#start();
  }

  // Resolves once the WebAssembly module is loaded in the worker.
  get ready() {
    return this.#ready;
  }

  #start() {
    const worker = new Worker(this.#workerUrl);
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
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
      if (call.onProgress) call.onProgress(message.event);
      return;
    }
    if (message.type === 'reply') {
      this.#pending.delete(message.id);
      let reply;
      try {
        reply = JSON.parse(message.text);
      } catch {
        reply = {ok: false, error: 'the planner returned text that is not JSON'};
      }
      if (reply.ok) call.resolve({reply, text: message.text});
      else call.reject(new PlannerError(reply.error, message.crashed ? 'crashed' : 'input'));
      if (message.crashed) this.#restart();
    }
  }

  #failAll(message, kind) {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) call.reject(new PlannerError(message, kind));
  }

  #restart() {
    this.#worker.terminate();
    this.#start();
  }

  #call(message, onProgress) {
    if (this.#worker === null) return Promise.reject(new PlannerError('the planner is closed', 'cancelled'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {resolve, reject, onProgress});
      this.#worker.postMessage({...message, id});
    });
  }

  async #caseText(input) {
    if (isSpec(input)) {
      const {reply} = await this.#call({op: 'synthetic', specJson: asText(input)});
      return JSON.stringify(reply.case);
    }
    return asText(input);
  }

  async validate(input) {
    const {reply} = await this.#call({op: 'validate', caseJson: await this.#caseText(input)});
    return reply.summary;
  }

  async synthetic(spec) {
    const {reply} = await this.#call({op: 'synthetic', specJson: asText(spec)});
    return reply.case;
  }

  async planJson(input, options = {}, onProgress = undefined) {
    const caseJson = await this.#caseText(input);
    const {text} = await this.#call({op: 'run', caseJson, optionsJson: JSON.stringify(options)}, onProgress);
    // The reply is {"ok":true,"result":R}: cut R out unchanged, byte for byte what the module printed.
    return text.slice('{"ok":true,"result":'.length, -1);
  }

  async plan(input, options = {}, onProgress = undefined) {
    return JSON.parse(await this.planJson(input, options, onProgress));
  }

  cancel() {
    if (this.#worker === null) return;
    this.#worker.terminate();
    this.#failAll('cancelled', 'cancelled');
    this.#start();
  }

  close() {
    if (this.#worker === null) return;
    this.#worker.terminate();
    this.#worker = null;
    this.#failAll('the planner is closed', 'cancelled');
  }
}

// Starts a planner (one Web Worker). workerUrl defaults to worker.js next to this module.
export async function createPlanner({workerUrl = new URL('./worker.js', import.meta.url)} = {}) {
  const planner = new Planner(workerUrl);
  await planner.ready;
  return planner;
}
