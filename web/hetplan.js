// hetplan in the browser: plan LLM training on a cluster of mixed GPUs, from your own scripts.
//
// The planner runs in Web Workers (WebAssembly), so calling it never freezes the page. Everything stays in
// the browser: this module loads its helpers (worker-bridge.js, operations.js, planner-error.js, shards.js,
// sweep.js), worker.js, module-reply.js, hetplan-core.js and hetplan-core.wasm from its own folder.
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
//     elapsed_ms, as `hetplan plan --trials`; the events are those of the first run and the final one),
//     max_inter_plans: N (default 5,000,000: a metis or pruned search of more inter-stage plans is refused),
//     confirm_in_page: true (the refusal's message names no option, for a page that asks its user itself)}.
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
//     'crashed'. A cancelled search rejects at once, with soFar: a promise of what it had found, as the
//     result's JSON text (each R with cancelled: true and the counts of the workers' last progress event
//     with a new top K), or of null when it had found no plan.
//
// With several workers, worker i searches shard i of N (the options shard_index and shard_count of the
//   module), onProgress gets the sums of their counters (steps, inter_done, costed; the lowest best_cost; the
//   longest elapsed_ms; final once every worker is done with that strategy), and the workers' results are
//   merged into the same bytes one worker gives, elapsed_ms aside (the longest worker's). A worker that fails
//   stops the others; the call rejects with its error.
//
// sweep(base, vary, options, onPoint): one search per point of a grid, as `hetplan sweep` runs it.
//   base: a case or a synthetic spec, as plan() takes them (a spec's node counts and layers can vary: each
//     point's profiles are generated anew). vary: the axes, one text each in the grammar of `hetplan sweep
//     --vary`: PATH=VALUES, VALUES numbers and ranges A..B or A..B:STEP separated by commas, PATH gbs, layers
//     or a dotted path into the input (types.A100.nodes, args.max_permute_len), e.g. ['gbs=64,128,256',
//     'types.A100.nodes=1..4']; the first axis varies slowest. options: plan()'s search options (strategy,
//     cost_model, top, max_inter_plans; no shards).
//   Each point is one whole search on one worker; the workers take the points in grid order, each the next one
//     as soon as it is free. A point the module cannot search (an input error, too many inter-stage plans)
//     gets that error in its row, as in the CLI's table.
//   onPoint(index, total, done) as each point finishes (done: the points finished so far, in any order), and
//     once with index -1 and done 0 when the grid is known, before the first search.
//   Resolves to {csv, json}: the texts `hetplan sweep` prints with and without --json (the CLI's --out adds a
//     newline to the .json file), one row per point and strategy: the best plan (cost, stages, dp x tp, GPUs)
//     or why there is none. cancel() stops it (kind 'cancelled'); a bad axis rejects with kind 'input'.
//
// validate(caseInput) resolves to a summary of the case (GPUs, types, layers, inter-stage plans).
// synthetic(spec) resolves to the case object the spec generates (profiles included).
// exportPlan(input, plan, target, {untiedEmbeddings}) resolves to the launch configuration of one plan of a
//   result's top for target 'megatron', 'flagscale' or 'deepspeed' (as `hetplan plan --export`): {target,
//   refused, reason and can_take when refused, files: [{name, text}], notes}.
// cancel() stops whatever runs at once (every worker is terminated and a fresh one started); pending calls
//   reject with kind 'cancelled'.
// setWorkers(n) uses n workers (1 to 16) from the next search on; resolves once they are loaded.
// workers is the number of workers.
// close() terminates the workers for good.

import {PlannerError} from './planner-error.js';
import {MAX_WORKERS, progressSummer, resultsArrayText, shardOptions, validWorkers} from './shards.js';
import {runQueue} from './sweep.js';
import {WorkerChannel} from './worker-bridge.js';

export {PlannerError};

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
  #channels = [];
  #cancels = 0;  // cancel() calls so far: a sweep that sees this change takes no further point

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

  // The case JSON text of a case or a synthetic spec (the case the spec generates, as the module wrote it).
  #caseText(input) {
    if (isSpec(input)) return this.#channels[0].ops.synthetic(asText(input));
    return Promise.resolve(asText(input));
  }

  async validate(input) {
    return JSON.parse(await this.#channels[0].ops.validate(await this.#caseText(input)));
  }

  async synthetic(spec) {
    return JSON.parse(await this.#channels[0].ops.synthetic(asText(spec)));
  }

  async planJson(input, options = {}, onProgress = undefined) {
    const caseJson = await this.#caseText(input);
    const channels = [...this.#channels];
    const optionsJson = JSON.stringify(options);
    // Each worker's last run so far (its progress events carry one when its top K changes): what cancel()
    // leaves of the run, as a worker stopped by terminating it returns nothing.
    const soFar = channels.map(() => null);
    const keep = (i) => (e) => {
      if (e.so_far !== undefined) soFar[i] = e.so_far;
      const event = {...e};
      delete event.so_far;
      return event;
    };
    try {
      if (channels.length === 1) {
        const kept = keep(0);
        return await channels[0].ops.run(caseJson, optionsJson, {onProgress: (e) => onProgress?.(kept(e))});
      }
      // A shard's top plans are not the search's: the shards search without explanations and exports, and the
      // merge, given the case, adds them to the merged plans.
      const plain = {...options};
      for (const key of ['explain', 'export', 'export_rank', 'untied_embeddings']) delete plain[key];
      const texts = await this.#runShards(channels, caseJson, plain, onProgress, keep);
      return await channels[0].ops.merge(resultsArrayText(texts), optionsJson, caseJson);
    } catch (e) {
      if (e?.kind !== 'cancelled') throw e;
      throw new PlannerError(e.message, 'cancelled', {soFar: this.#mergeSoFar(soFar, optionsJson, caseJson)});
    }
  }

  // The workers' runs so far merged (R or {metis: R, ...}, each R marked cancelled: true, its plans explained
  // as the options ask), or null when no worker had found a plan. The merge runs in a fresh worker: the
  // cancelled call rejects at once, and this resolves a moment later. Never rejects.
  async #mergeSoFar(soFar, optionsJson, caseJson) {
    const parts = soFar.filter((text) => text !== null);
    if (parts.length === 0) return null;
    try {
      return await this.#channels[0].ops.mergeSoFar(resultsArrayText(parts), optionsJson, caseJson);
    } catch {
      return null;  // cancelled again, or closed, while merging
    }
  }

  // Shard i on worker i. The first failure ends the run: the workers still searching are stopped (the other
  // shards' results would be of no use; each stopped worker is replaced by a fresh one) and the call rejects
  // with that failure. keep(i) takes worker i's run so far off its events.
  #runShards(channels, caseJson, options, onProgress, keep) {
    const add = progressSummer(channels.length);
    const stop = new AbortController();
    return Promise.all(channels.map((channel, i) => {
      const optionsJson = JSON.stringify(shardOptions(options, i, channels.length));
      const kept = keep(i);
      const report = (e) => {
        const event = kept(e);
        if (onProgress && !stop.signal.aborted) onProgress(add(i, event));
      };
      return channel.ops.run(caseJson, optionsJson, {onProgress: report, signal: stop.signal}).catch((error) => {
        stop.abort();
        throw error;
      });
    }));
  }

  async exportPlan(input, plan, target, {untiedEmbeddings = false} = {}) {
    const options = JSON.stringify({export: target, untied_embeddings: untiedEmbeddings});
    return JSON.parse(await this.#channels[0].ops.exportPlan(await this.#caseText(input), JSON.stringify(plan), options));
  }

  async plan(input, options = {}, onProgress = undefined) {
    return JSON.parse(await this.planJson(input, options, onProgress));
  }

  async sweep(base, vary, options = {}, onPoint = undefined) {
    const varyJson = JSON.stringify(vary);
    const cancels = this.#cancels;
    const points = JSON.parse(await this.#channels[0].ops.sweepPoints(asText(base), varyJson));
    const optionsJson = JSON.stringify(options);
    onPoint?.(-1, points.length, 0);
    // Whole searches side by side, not each one sharded: a point gives the very bytes of one run with no merge,
    // the bounded strategies (never sharded) keep every worker busy too, and a small point does not pay N
    // workers' start-up and merge. A failed worker stops the others (their points would be of no use).
    const stop = new AbortController();
    const pointError = (message) => JSON.stringify({error: message});
    const runPoint = async (channel, i) => {
      if (this.#cancels !== cancels) throw new PlannerError('cancelled', 'cancelled');
      if (points[i].error !== undefined) return pointError(points[i].error);
      try {
        return await channel.ops.run(points[i].case, optionsJson, {signal: stop.signal});
      } catch (e) {
        if (e.kind === 'input' || e.kind === 'too_large') return pointError(e.message);
        if (e.kind !== 'cancelled') stop.abort();
        throw e;
      }
    };
    const texts = await runQueue([...this.#channels], points.length, runPoint,
        (i, done) => onPoint?.(i, points.length, done));
    // {csv, json}: both texts as the module wrote them.
    return JSON.parse(await this.#channels[0].ops.sweepTable(varyJson, optionsJson, resultsArrayText(texts)));
  }

  cancel() {
    this.#cancels += 1;
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
