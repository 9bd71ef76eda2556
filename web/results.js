// The result views: top-K tables, the metis-vs-pruned comparison, and the CSV export. Plans come from the core
// and hold user-given type names: every cell is set with textContent.

import {formatMs} from './counters.js';
import {foldedRows, launchWarning} from './plan-notes.js';
import {watchOverflow} from './scroll-hint.js';

export const grouped = new Intl.NumberFormat('en-US');

// The results of a run keyed by strategy, whatever the shape (R alone, or {metis: R, pruned: R}).
export function byStrategy(result) {
  if (result && typeof result.strategy === 'string') return {[result.strategy]: result};
  return result ?? {};
}

function cell(tag, text, className) {
  const c = document.createElement(tag);
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

function row(tag, values) {
  const tr = document.createElement('tr');
  for (const v of values) tr.append(cell(tag, v));
  return tr;
}

// A table of the class with its header row; rows go into the returned body.
function headedTable(className, headers) {
  const table = document.createElement('table');
  table.className = className;
  const head = document.createElement('thead');
  head.append(row('th', headers));
  const body = document.createElement('tbody');
  table.append(head, body);
  return {table, body};
}

// A wide table in a box that scrolls sideways on a narrow screen.
function scrolling(table) {
  const wrap = document.createElement('div');
  wrap.className = 'scroll';
  wrap.append(table);
  // Its width is known once it is in the page: checked then, and on every resize.
  requestAnimationFrame(() => watchOverflow(wrap));
  return wrap;
}

export const stagesText = (p) => p.strategies.map(([dp, tp]) => `${dp}×${tp}`).join(' | ');
export const formatCost = (c) => (Number.isFinite(c) ? c.toFixed(3) : '–');

function percent(part, whole) {
  return whole > 0 ? `${((100 * (whole - part)) / whole).toFixed(1)} %` : '–';
}

// Below this a search timed once is mostly timer noise (the CLI's rule: it repeats such searches instead).
const RESOLVABLE_MS = 10;

// metis's time over pruned's, or '–' when it is not resolvable: a search under RESOLVABLE_MS timed once.
export function speedup(metisMs, prunedMs, trials = 1) {
  if (!(prunedMs > 0) || (trials <= 1 && Math.min(metisMs, prunedMs) < RESOLVABLE_MS)) return '–';
  return `${(metisMs / prunedMs).toFixed(2)}×`;
}

// The comparison's word on the wall times: the speed-up, or why there is none.
function speedupNote(metis, pruned) {
  const s = speedup(metis.elapsed_ms, pruned.elapsed_ms, Math.min(metis.trials ?? 1, pruned.trials ?? 1));
  return s === '–' ? `no speed-up shown: a search under ${RESOLVABLE_MS} ms timed once is timer noise; ` +
    'the steps are exact' : `${s} speed-up`;
}

export function renderComparison(container, runs) {
  const {metis, pruned} = runs;
  const {table, body} = headedTable('compare', ['', 'metis', 'pruned', 'pruned vs metis']);
  const bestM = metis.top[0]?.cost;
  const bestP = pruned.top[0]?.cost;
  body.append(row('td', ['Steps', grouped.format(metis.count), grouped.format(pruned.count),
    `${percent(pruned.count, metis.count)} fewer`]));
  body.append(row('td', ['Wall time', formatMs(metis.elapsed_ms), formatMs(pruned.elapsed_ms),
    speedupNote(metis, pruned)]));
  body.append(row('td', ['Plans costed', grouped.format(metis.costed_plans), grouped.format(pruned.costed_plans),
    '']));
  const same = bestM === bestP ? 'same best cost' : (bestP < bestM ? 'pruned found a cheaper plan' :
    (bestM < bestP ? 'metis found a cheaper plan' : ''));
  body.append(row('td', ['Best cost (ms)', formatCost(bestM), formatCost(bestP), same]));
  container.replaceChildren(scrolling(table));
}

// How far a strategy's best plan is above the optimum (when optimal was run): "72.080 ms (2.07 %)".
export const gapText = (r) => `${formatCost(r.gap_to_optimum_ms)} ms (${r.gap_to_optimum_percent.toFixed(2)} %)`;

// With optimal among the strategies: each other strategy's best cost and how far it is above the optimum.
// Returns whether there was anything to show.
export function renderGaps(container, runs) {
  const optimum = runs.optimal?.top[0]?.cost;
  const others = Object.entries(runs).filter(([, r]) => typeof r.gap_to_optimum_ms === 'number');
  if (optimum === undefined || others.length === 0) {
    container.replaceChildren();
    return false;
  }
  const note = cell('p', `The optimum: ${formatCost(optimum)} ms, the cheapest plan over every (dp, tp) per ` +
                    'stage that fits in memory.');
  const {table, body} = headedTable('compare',
      ['', 'Best cost (ms)', 'Above the optimum (ms)', 'Above the optimum (%)']);
  for (const [strategy, r] of others) {
    const tr = row('td', [strategy, formatCost(r.top[0].cost), formatCost(r.gap_to_optimum_ms),
      `${r.gap_to_optimum_percent.toFixed(2)} %`]);
    tr.dataset.testid = `gap-${strategy}`;
    body.append(tr);
  }
  container.replaceChildren(note, scrolling(table));
  return true;
}

// The mark of a plan no framework launches as it is; the reason is its title and a line under the table.
function badge(reason) {
  const b = cell('span', '⚠', 'launch-badge');
  b.title = reason;
  b.dataset.testid = 'launch-badge';
  return b;
}

function noteList(notes, testid) {
  const list = document.createElement('ul');
  list.className = 'plan-notes';
  list.dataset.testid = testid;
  list.append(...notes.map((n) => cell('li', n)));
  return list;
}

// One table per strategy; clicking a row calls onSelect(strategy, plan).
export function renderTopTables(container, runs, onSelect) {
  const parts = [];
  for (const [strategy, r] of Object.entries(runs)) {
    const bound = typeof r.pruned_by_bound === 'number' ?
      `${grouped.format(r.pruned_by_bound)} inter-stage plans ruled out by bound, ` : '';
    const gap = typeof r.gap_to_optimum_ms === 'number' ? `, ${gapText(r)} above the optimum` : '';
    const title = cell('h4', `${strategy}: ${grouped.format(r.count)} steps, ${bound}` +
                       `${grouped.format(r.costed_plans)} plans costed, ${formatMs(r.elapsed_ms)}${gap}`);
    const {table, body} = headedTable('top', ['#', 'Cost (ms)', 'Node order', 'GPUs per stage', 'dp×tp per stage',
      'Micro-batches', 'Layer partition']);
    if (r.top.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('td', r.no_plan ? 'The search found no plan (see “Why” above).' :
        'No plan got a cost (see “Why” above).');
      td.colSpan = 7;
      tr.append(td);
      body.append(tr);
    }
    const notes = [];
    const warned = new Map();  // reason -> the ranks it applies to: one line per reason, not per plan
    for (const {plan: p, rank, note} of foldedRows(r.top)) {
      const tr = row('td', [rank, formatCost(p.cost), p.node_sequence.join(' → '),
        p.device_groups.join(', '), stagesText(p), String(p.batches), p.layer_partition.join(', ')]);
      tr.dataset.ranks = rank.replace('=', ' ');  // the ranks the row stands for, to find it by rank
      if (note) notes.push(note);
      const warning = launchWarning(p);
      if (warning) {
        tr.cells[0].append(' ', badge(warning));
        warned.set(warning, [...(warned.get(warning) ?? []), rank]);
      }
      tr.tabIndex = 0;
      tr.title = 'Draw this plan';
      const select = () => onSelect(strategy, p, tr);
      tr.addEventListener('click', select);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      });
      body.append(tr);
    }
    for (const [warning, ranks] of warned) notes.push(`${ranks.join(', ')} ⚠ ${warning}`);
    parts.push(title, scrolling(table));
    if (notes.length > 0) parts.push(noteList(notes, `plan-notes-${strategy}`));
  }
  container.replaceChildren(...parts);
}

function csvField(v) {
  let s = String(v);
  // A type name such as "=cmd()" must stay text when the CSV is opened in a spreadsheet.
  if (/^[=+@\t\r]/.test(s) || (/^-/.test(s) && !Number.isFinite(Number(s)))) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

// One line per plan: strategy, rank, the plan's fields; lists joined with spaces so they stay one field.
export function resultCsv(runs) {
  const lines = [['strategy', 'rank', 'cost', 'node_sequence', 'num_stage', 'device_groups', 'strategies',
    'batches', 'layer_partition', 'count', 'costed_plans', 'elapsed_ms']];
  for (const [strategy, r] of Object.entries(runs)) {
    r.top.forEach((p, i) => lines.push([strategy, i + 1, p.cost, p.node_sequence.join(' '), p.num_stage,
      p.device_groups.join(' '), p.strategies.map(([dp, tp]) => `${dp}x${tp}`).join(' '), p.batches,
      p.layer_partition.join(' '), r.count, r.costed_plans, r.elapsed_ms]));
  }
  return lines.map((l) => l.map(csvField).join(',')).join('\n') + '\n';
}
