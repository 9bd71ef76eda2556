// One search split over several Web Workers: worker i searches shard i of N (the core decides which
// inter-stage plans make a shard), the module merges their results into what one run prints, and the progress
// shown is the sum of theirs. No DOM here: the node tests import this module too.

// More workers than this only add copies of the module: the page is for cases a laptop searches.
export const MAX_WORKERS = 16;
// The default: one worker per core, at most this many.
const DEFAULT_CAP = 8;

export function defaultWorkers(cores = globalThis.navigator?.hardwareConcurrency) {
  return Number.isInteger(cores) && cores > 0 ? Math.min(cores, DEFAULT_CAP) : 1;
}

export function validWorkers(n) {
  return Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS;
}

// The module's options for shard `index` of `count`.
export function shardOptions(options, index, count) {
  return {...options, shard_index: index, shard_count: count};
}

// The module's reply to a run is {"ok":true,"result":R}: R cut out as text, unchanged, so that the merge (and
// a single worker's output) keeps the module's bytes; JSON.parse and stringify would reformat the numbers.
const RESULT_PREFIX = '{"ok":true,"result":';

export function resultText(replyText) {
  if (!replyText.startsWith(RESULT_PREFIX) || !replyText.endsWith('}')) {
    throw new Error('the planner returned a reply without a result');
  }
  return replyText.slice(RESULT_PREFIX.length, -1);
}

// The shards' results as the JSON array mergeResults reads.
export function resultsArrayText(replyTexts) {
  return `[${replyTexts.map(resultText).join(',')}]`;
}

// Sums the progress events of the shards, strategy by strategy, into events of the whole search: steps,
// inter-stage plans done and plans costed add up; inter_total is already the whole search's; the best cost
// is the lowest; elapsed is the longest (the shards run side by side); final once every shard has sent its
// final event for that strategy. A shard not yet started on a strategy counts as zero, so the figures never
// go down and the final event carries the same counts as one run's.
export class ShardProgress {
  #count;
  #latest = new Map();  // strategy -> latest event of each shard (undefined until its first)

  constructor(count) {
    this.#count = count;
  }

  // The combined event after shard `index` sent `event`.
  add(index, event) {
    let shards = this.#latest.get(event.strategy);
    if (!shards) {
      shards = new Array(this.#count);
      this.#latest.set(event.strategy, shards);
    }
    shards[index] = event;
    const combined = {strategy: event.strategy, steps: 0, inter_done: 0, inter_total: event.inter_total, costed: 0,
      best_cost: null, elapsed_ms: 0, final: true};
    for (let i = 0; i < this.#count; i++) {
      const e = shards[i];
      if (!e) {
        combined.final = false;
        continue;
      }
      combined.steps += e.steps;
      combined.inter_done += e.inter_done;
      combined.costed += e.costed;
      if (e.best_cost !== null && (combined.best_cost === null || e.best_cost < combined.best_cost)) {
        combined.best_cost = e.best_cost;
      }
      combined.elapsed_ms = Math.max(combined.elapsed_ms, e.elapsed_ms);
      combined.final = combined.final && e.final;
    }
    return combined;
  }
}
