// hetplan in the browser: plan LLM training on a cluster of mixed GPUs, from your own scripts.
//
// The planner runs in Web Workers (WebAssembly), so calling it never freezes the page. Everything stays in
// the browser: this module loads shards.js, worker.js, hetplan-core.js and hetplan-core.wasm from its own
// folder.
//
//   import {createPlanner} from './hetplan.js';
//
//   const planner = await createPlanner({workers: 2});  // two Web Workers: one search, split in two
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
//   options: {strategy: one name or several separated by commas, as `hetplan plan --strategy`: 'metis',
//     'pruned', 'both' (default: metis and pruned), 'bounded' and 'bounded-pruned' (the top plans of metis and
//     pruned, skipping the inter-stage plans whose lower cost bound cannot beat the K-th best), 'optimal' (the
//     cheapest plans over every (dp, tp) per stage that fits in memory), e.g. 'metis,bounded,optimal';
//     cost_model: 'corrected' (default) | 'reference',
//     top: K (default 1), progress_interval_ms: T (default 100), progress_slices: S (default 16),
//     progress_min_gap_ms: G (default 2), trials: T (default 1: run each search T times and report the mean
//     elapsed_ms, as `hetplan plan --trials`; the events are those of the first run and the final one)}.
//   onProgress(event), about ten times a second, after each sixteenth of the inter-stage plans (unless the
//     last event is less than G ms old: an event costs tens of microseconds), and once at the end of each
//     strategy (final: true): {strategy, steps, inter_done, inter_total, costed, best_cost (null
//     before the first costed plan), elapsed_ms, final}.
//   Resolves to what `hetplan plan --json` prints: R = {strategy, cost_model, count, costed_plans, elapsed_ms,
//     top: [...]} for one strategy, or {metis: R, pruned: R, ...} for several, in the order given. The bounded
//     strategies' R also has pruned_by_bound (inter-stage plans ruled out by the bound; inter_plans counts those
//     searched); with optimal among the strategies, every other R with a plan has gap_to_optimum_ms and
//     gap_to_optimum_percent (its best plan above the optimum). planJson() resolves to that JSON text.
//   The bounded strategies (bounded, bounded-pruned, optimal) are not split over workers: worker 1 searches
//     them whole, the others return an empty result, and their progress comes from worker 1 alone.
//   Rejects with a PlannerError: kind 'input' (the message names the file and field), 'too_large' (with
//     interPlans, limit and estimatedSeconds: raise the option max_inter_plans to run it), 'cancelled' or
//     'crashed'.
//
// With several workers, worker i searches shard i of N (the options shard_index and shard_count of the
//   module), onProgress gets the sums of their counters (steps, inter_done, costed; the lowest best_cost; the
//   longest elapsed_ms; final once every worker is done with that strategy), and the workers' results are
//   merged into the same bytes one worker gives, elapsed_ms aside (the longest worker's). A worker that fails
//   stops the others; the call rejects with its error.
//
// validate(caseInput) resolves to a summary of the case (GPUs, types, layers, inter-stage plans).
// synthetic(spec) resolves to the case object the spec generates (profiles included).
// cancel() stops whatever runs at once (every worker is terminated and a fresh one started); pending calls
//   reject with kind 'cancelled'.
// setWorkers(n) uses n workers (1 to 16) from the next search on; resolves once they are loaded.
// workers is the number of workers.
// close() terminates the workers for good.

import {putExplanations, takeExplanations} from './explain-text.js';
import {MAX_WORKERS, resultsArrayText, resultText, ShardProgress, shardOptions, validWorkers} from './shards.js';

export class PlannerError extends Error {
  constructor(message, kind, details = {}) {
    super(message);
    this.name = 'PlannerError';
    this.kind = kind;  // 'input' | 'too_large' | 'cancelled' | 'crashed'
    // too_large: the case's inter-stage plans, the limit they exceed and the estimated seconds.
    Object.assign(this, details);
  }
}

// The module's error reply {ok: false, error, kind, ...} as a PlannerError: 'invalid' input is 'input'.
function plannerError(reply, crashed) {
  if (crashed) return new PlannerError(reply.error, 'crashed');
  if (reply.kind === 'too_large') {
    const {inter_plans: interPlans, limit, estimated_seconds: estimatedSeconds} = reply;
    return new PlannerError(reply.error, 'too_large', {interPlans, limit, estimatedSeconds});
  }
  return new PlannerError(reply.error, 'input');
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

// One Web Worker with its module, and the calls waiting for its replies.
class WorkerChannel {
  #workerUrl;
  #worker = null;
  #ready = null;
  #rejectReady = null;   // of the current worker's ready: one terminated while loading never sends 'ready'
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
      else call.reject(plannerError(reply, message.crashed));
      if (message.crashed) this.restart();
    }
  }

  #failAll(message, kind) {
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) call.reject(new PlannerError(message, kind));
  }

  call(message, onProgress) {
    if (this.#worker === null) return Promise.reject(new PlannerError('the planner is closed', 'cancelled'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, {resolve, reject, onProgress});
      this.#worker.postMessage({...message, id});
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

class Planner {
  #workerUrl;
  #channels = [];

  constructor(workerUrl, workers) {
    this.#workerUrl = workerUrl;
    this.#resize(workers);
  }

  // Resolves once the WebAssembly module is loaded in every worker.
  get ready() {
    return Promise.all(this.#channels.map((c) => c.ready));
  }

  get workers() {
    return this.#channels.length;
  }

  #resize(n) {
    if (!validWorkers(n)) throw new PlannerError(`workers: expected a whole number from 1 to ${MAX_WORKERS}`, 'input');
    while (this.#channels.length < n) this.#channels.push(new WorkerChannel(this.#workerUrl));
    for (const channel of this.#channels.splice(n)) channel.close();
  }

  // Runs later searches on n workers (1 to MAX_WORKERS); resolves once the new ones have their module. Call it
  // between searches: a worker dropped while it searches ends that search (kind 'cancelled').
  async setWorkers(n) {
    if (this.#channels[0]?.closed) throw new PlannerError('the planner is closed', 'cancelled');
    this.#resize(n);
    await this.ready;
  }

  async #caseText(input) {
    if (isSpec(input)) {
      const {reply} = await this.#channels[0].call({op: 'synthetic', specJson: asText(input)});
      return JSON.stringify(reply.case);
    }
    return asText(input);
  }

  async validate(input) {
    const {reply} = await this.#channels[0].call({op: 'validate', caseJson: await this.#caseText(input)});
    return reply.summary;
  }

  async synthetic(spec) {
    const {reply} = await this.#channels[0].call({op: 'synthetic', specJson: asText(spec)});
    return reply.case;
  }

  async planJson(input, options = {}, onProgress = undefined) {
    const caseJson = await this.#caseText(input);
    const channels = [...this.#channels];
    if (channels.length === 1) {
      const {text} = await channels[0].call({op: 'run', caseJson, optionsJson: JSON.stringify(options)}, onProgress);
      return resultText(text);
    }
    // The core merges without the case, so explanations leave the shards' texts and come back after.
    const shards = (await this.#runShards(channels, caseJson, options, onProgress)).map(takeExplanations);
    const {text} = await channels[0].call({op: 'merge', resultsJson: resultsArrayText(shards.map((s) => s.text)),
      optionsJson: JSON.stringify(options)});
    return putExplanations(resultText(text), new Map(shards.flatMap((s) => [...s.explanations])));
  }

  // Shard i on worker i. The first failure ends the run: the workers still searching are restarted (the other
  // shards' results would be of no use) and the call rejects with that failure.
  #runShards(channels, caseJson, options, onProgress) {
    const progress = new ShardProgress(channels.length);
    return new Promise((resolve, reject) => {
      const texts = new Array(channels.length);
      let left = channels.length;
      let failed = false;
      channels.forEach((channel, i) => {
        const optionsJson = JSON.stringify(shardOptions(options, i, channels.length));
        const report = onProgress ? (e) => {
          if (!failed) onProgress(progress.add(i, e));
        } : undefined;
        channel.call({op: 'run', caseJson, optionsJson}, report).then(({text}) => {
          texts[i] = text;
          if (--left === 0 && !failed) resolve(texts);
        }, (error) => {
          if (failed) return;
          failed = true;
          for (const other of channels) {
            if (other !== channel && other.busy) other.restart();
          }
          reject(error);
        });
      });
    });
  }

  async plan(input, options = {}, onProgress = undefined) {
    return JSON.parse(await this.planJson(input, options, onProgress));
  }

  cancel() {
    for (const channel of this.#channels) channel.restart();
  }

  close() {
    for (const channel of this.#channels) channel.close();
  }
}

// Starts a planner: `workers` Web Workers (default 1), each with the module. workerUrl defaults to worker.js
// next to this module.
export async function createPlanner({workerUrl = new URL('./worker.js', import.meta.url), workers = 1} = {}) {
  const planner = new Planner(workerUrl, workers);
  await planner.ready;
  return planner;
}
