// The live counters of a run: one column per strategy, fed by the worker's progress events.

const STRATS = ['metis', 'pruned'];
const $ = (id) => document.getElementById(id);
const grouped = new Intl.NumberFormat('en-US');

export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export class Counters {
  // Strategies of the current run; the others show a dash.
  reset(strategies) {
    for (const s of STRATS) {
      const active = strategies.includes(s);
      const dash = active ? '0' : '–';
      $(`steps-${s}`).textContent = dash;
      $(`rate-${s}`).textContent = active ? '0' : '–';
      $(`inter-${s}`).textContent = active ? '0 / …' : '–';
      $(`costed-${s}`).textContent = dash;
      $(`best-cost-${s}`).textContent = '–';
      $(`elapsed-${s}`).textContent = active ? '0 ms' : '–';
      const bar = $(`bar-${s}`);
      bar.max = 1;
      bar.value = 0;
    }
  }

  // The steps and best-cost cells are a contract for tests: a plain integer and a plain number.
  update(e) {
    if (!STRATS.includes(e.strategy)) return;
    const s = e.strategy;
    $(`steps-${s}`).textContent = String(e.steps);
    const seconds = e.elapsed_ms / 1000;
    $(`rate-${s}`).textContent = seconds > 0 ? grouped.format(Math.round(e.steps / seconds)) : '–';
    $(`inter-${s}`).textContent = `${grouped.format(e.inter_done)} / ${grouped.format(e.inter_total)}`;
    const bar = $(`bar-${s}`);
    bar.max = Math.max(1, e.inter_total);
    bar.value = Math.min(e.inter_done, bar.max);
    $(`costed-${s}`).textContent = grouped.format(e.costed);
    $(`best-cost-${s}`).textContent = e.best_cost === null ? '–' : String(e.best_cost);
    $(`elapsed-${s}`).textContent = formatMs(e.elapsed_ms);
  }
}

// Shows progress events one display frame apart at least. A search that finishes in tens of milliseconds
// sends its handful of intermediate events in a burst; shown as they come, they would all land in one frame
// and the counters would jump from 0 to the end. Paced, they stay real values in their real order, the run
// reads as live, and a long run (events 50 ms apart) is not delayed at all. The queue is bounded, so a burst
// adds at most MAX_QUEUED frames before "done".
const MAX_QUEUED = 24;

export class ProgressPacer {
  #show;
  #gapMs;
  #queue = [];
  #timer = 0;
  #lastShown = -Infinity;
  #idle = [];  // resolvers of drained()

  constructor(show, gapMs = 16) {
    this.#show = show;
    this.#gapMs = gapMs;
  }

  push(event) {
    this.#queue.push(event);
    // Drop the oldest intermediate values of a long burst; the latest and every final event stay.
    while (this.#queue.length > MAX_QUEUED) {
      const i = this.#queue.findIndex((e) => !e.final);
      if (i < 0 || i === this.#queue.length - 1) break;
      this.#queue.splice(i, 1);
    }
    this.#pump();
  }

  // Resolves once every pushed event has been shown.
  drained() {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  // Drops what is queued (the run was cancelled).
  stop() {
    clearTimeout(this.#timer);
    this.#timer = 0;
    this.#queue = [];
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #pump() {
    if (this.#timer || this.#queue.length === 0) return;
    const wait = this.#lastShown + this.#gapMs - performance.now();
    if (wait <= 0) {
      this.#showNext();
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = 0;
        this.#showNext();
      }, wait);
    }
  }

  #showNext() {
    this.#lastShown = performance.now();
    this.#show(this.#queue.shift());
    if (this.#queue.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    } else {
      this.#pump();
    }
  }
}
