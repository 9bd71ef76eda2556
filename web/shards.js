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

// The shards' result texts (each as the module wrote it) as the JSON array mergeResults reads.
export function resultsArrayText(resultTexts) {
  return `[${resultTexts.join(',')}]`;
}

// The progress of the shards summed, strategy by strategy, into events of the whole search: steps, inter-stage
// plans done and plans costed add up; inter_total is already the whole search's; the best cost is the lowest;
// elapsed is the longest (the shards run side by side); final once every shard has sent its final event for
// that strategy. A shard not yet started on a strategy counts as zero, so the figures never go down and the
// final event carries the same counts as one run's.
// The core has the same sum for its threads (combine_progress), but the page's main thread, where these events
// arrive, has no module: the module lives in the workers, and asking one for each event would add a message
// round trip per event. So the page keeps this sum, in this one function.
// Returns add(index, event): the combined event after shard `index` sent `event`.
export function progressSummer(count) {
  const latest = new Map();  // strategy -> latest event of each shard (undefined until its first)
  return (index, event) => {
    if (!latest.has(event.strategy)) latest.set(event.strategy, new Array(count));
    const shards = latest.get(event.strategy);
    shards[index] = event;
    const combined = {strategy: event.strategy, steps: 0, inter_done: 0, inter_total: event.inter_total, costed: 0,
      best_cost: null, elapsed_ms: 0, final: true};
    for (const e of shards) {
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
  };
}
