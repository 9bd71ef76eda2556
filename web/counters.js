// The live counters of a run: one column per strategy run, fed by the worker's progress events.

import {$} from './dom.js';

const grouped = new Intl.NumberFormat('en-US');

// The strategies that skip inter-stage plans by a lower bound of their cost (their results count them).
const BOUNDED = ['bounded', 'bounded-pruned', 'optimal'];

// The strategies of a run option, as the CLI's --strategy reads it: names separated by commas, in the order
// given, each once; "both" is metis then pruned.
export function strategyNames(option) {
  const out = [];
  for (const name of String(option).split(',')) {
    for (const s of name === 'both' ? ['metis', 'pruned'] : [name]) if (!out.includes(s)) out.push(s);
  }
  return out;
}

export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

// The rows: label, cell id prefix (the cell of strategy s is prefix-s), whether the cell has a data-testid,
// whether the row is only there when a bounded strategy runs, and the glossary entry its label links to (as in
// index.html).
const ROWS = [
  ['Steps', 'steps', true, false, 'steps'],
  ['Steps per second', 'rate', false, false, null],
  ['Inter-stage plans', 'inter', false, false, 'inter-stage-plan'],
  ['Ruled out by bound', 'bound', true, true, 'strategy'],
  ['Plans costed', 'costed', false, false, null],
  ['Best cost (ms)', 'best-cost', true, false, 'cost'],
  ['Elapsed', 'elapsed', false, false, null],
];

function headCell(text, glossary = null) {
  const th = document.createElement('th');
  if (glossary) {
    const a = document.createElement('a');
    a.className = 'term-link';
    a.href = `#glossary-${glossary}`;
    a.textContent = text;
    th.append(a);
  } else {
    th.textContent = text;
  }
  return th;
}

export class Counters {
  // The columns shown: the page starts with metis and pruned (index.html).
  #strategies = ['metis', 'pruned'];

  // One column per strategy of the run, in its order, every cell at its start value. The cells are made anew
  // only when the columns change: a run with the same strategies updates the same elements.
  reset(strategies) {
    if (strategies.join(',') !== this.#strategies.join(',')) this.#columns(strategies);
    const bounded = strategies.some((s) => BOUNDED.includes(s));
    for (const s of strategies) {
      $(`steps-${s}`).textContent = '0';
      $(`rate-${s}`).textContent = '0';
      $(`inter-${s}`).textContent = '0 / …';
      $(`costed-${s}`).textContent = '0';
      $(`best-cost-${s}`).textContent = '–';
      $(`elapsed-${s}`).textContent = '0 ms';
      const bar = $(`bar-${s}`);
      bar.max = 1;
      bar.value = 0;
      if (bounded) {
        $(`bound-${s}`).textContent = BOUNDED.includes(s) ? '…' : '–';
        $(`bound-${s}`).title = '';
      }
    }
  }

  #columns(strategies) {
    this.#strategies = [...strategies];
    const table = $('counters');
    const headRow = table.tHead.rows[0];
    // The first header cell holds the workers' count: kept.
    while (headRow.cells.length > 1) headRow.deleteCell(1);
    for (const s of strategies) headRow.append(headCell(s));
    const bounded = strategies.some((s) => BOUNDED.includes(s));
    const rows = [];
    for (const [label, prefix, testid, onlyBounded, glossary] of ROWS) {
      if (onlyBounded && !bounded) continue;
      const tr = document.createElement('tr');
      tr.append(headCell(label, glossary));
      for (const s of strategies) {
        const td = document.createElement('td');
        const span = document.createElement('span');
        span.id = `${prefix}-${s}`;
        if (testid) span.dataset.testid = `${prefix}-${s}`;
        td.append(span);
        if (prefix === 'inter') {
          const bar = document.createElement('progress');
          bar.id = `bar-${s}`;
          td.append(bar);
        }
        tr.append(td);
      }
      rows.push(tr);
    }
    table.tBodies[0].replaceChildren(...rows);
  }

  // Every count is grouped by thousands, as in the results and the reproduced table ("58,078"); the best cost
  // is a plain number to three decimals, as the results show it, so the columns keep their width.
  update(e) {
    if (!this.#strategies.includes(e.strategy)) return;
    const s = e.strategy;
    $(`steps-${s}`).textContent = grouped.format(e.steps);
    const seconds = e.elapsed_ms / 1000;
    $(`rate-${s}`).textContent = seconds > 0 ? grouped.format(Math.round(e.steps / seconds)) : '–';
    $(`inter-${s}`).textContent = `${grouped.format(e.inter_done)} / ${grouped.format(e.inter_total)}`;
    const bar = $(`bar-${s}`);
    bar.max = Math.max(1, e.inter_total);
    bar.value = Math.min(e.inter_done, bar.max);
    $(`costed-${s}`).textContent = grouped.format(e.costed);
    $(`best-cost-${s}`).textContent = e.best_cost === null ? '–' : e.best_cost.toFixed(3);
    $(`elapsed-${s}`).textContent = formatMs(e.elapsed_ms);
  }

  // From the results (the events do not carry it): the inter-stage plans each bounded strategy ruled out by
  // its bound, with those it searched in the cell's title.
  finish(runs) {
    for (const [s, r] of Object.entries(runs)) {
      const cell = document.getElementById(`bound-${s}`);
      if (!cell || typeof r.pruned_by_bound !== 'number') continue;
      cell.textContent = grouped.format(r.pruned_by_bound);
      cell.title = `${grouped.format(r.inter_plans)} inter-stage plans searched`;
    }
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
