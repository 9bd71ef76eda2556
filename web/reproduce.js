// The "Reproduce the table" view: our figures for rows of the published table beside the paper's.

import {formatMs} from './counters.js';
import {PUBLISHED} from './presets.js';
import {formatCost, speedup} from './results.js';

const grouped = new Intl.NumberFormat('en-US');

const reduction = (m, p) => (m > 0 ? `${((100 * (m - p)) / m).toFixed(1)} %` : '–');

function td(text, className) {
  const c = document.createElement('td');
  c.textContent = text;
  if (className) c.className = className;
  return c;
}

// A row while it runs (status text) or once done (runs = {metis: R, pruned: R}).
export function reproRow(row, runs, status = '') {
  const pub = PUBLISHED[row];
  const tr = document.createElement('tr');
  tr.dataset.row = String(row);
  tr.append(td(String(row)), td(String(pub.layers)), td(`${pub.gpus} + ${pub.gpus}`));
  if (!runs) {
    const c = td(status, 'status');
    c.colSpan = 14;
    tr.append(c);
    return tr;
  }
  const {metis, pruned} = runs;
  const match = (ours, paper) => (ours === paper ? 'match' : 'mismatch');
  tr.append(
      td(grouped.format(metis.count), match(metis.count, pub.steps.metis)), td(grouped.format(pub.steps.metis)),
      td(grouped.format(pruned.count), match(pruned.count, pub.steps.pruned)),
      td(grouped.format(pub.steps.pruned)),
      td(reduction(metis.count, pruned.count)), td(reduction(pub.steps.metis, pub.steps.pruned)),
      td(formatMs(metis.elapsed_ms)), td(formatMs(pub.wall_ms.metis)),
      td(formatMs(pruned.elapsed_ms)), td(formatMs(pub.wall_ms.pruned)),
      td(speedup(metis.elapsed_ms, pruned.elapsed_ms)), td(speedup(pub.wall_ms.metis, pub.wall_ms.pruned)),
      td(formatCost(metis.top[0]?.cost)), td(formatCost(pruned.top[0]?.cost)));
  return tr;
}

export function setReproRow(tbody, row, runs, status) {
  const fresh = reproRow(row, runs, status);
  const old = tbody.querySelector(`tr[data-row="${row}"]`);
  if (old) old.replaceWith(fresh);
  else tbody.append(fresh);
}
