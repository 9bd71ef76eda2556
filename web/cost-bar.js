// The cost of an explained plan as one stacked bar: the terms in the order the cost model adds them, each as
// wide as its ms, so the bar's length is the plan's cost; a table beside it gives each term's ms and share.

import {ms3, pct1, svgEl, svgRoot} from './svg.js';

// Short names for the bar and the legend; the core's own label goes into the tooltip.
const NAMES = {
  bubble: 'bubble', compute: 'compute', fb_sync: 'fb sync × B', update: 'update', dp_sync: 'dp sync',
  pp: 'pp transfers', batch_generation: 'batch gen. × B',
};
const COLOURS = {
  bubble: '#bab0ac', compute: '#4e79a7', fb_sync: '#f28e2b', update: '#59a14f', dp_sync: '#76b7b2',
  pp: '#edc948', batch_generation: '#b07aa1',
};

export const termName = (key) => NAMES[key] ?? key;
export const termColour = (key) => COLOURS[key] ?? '#9c755f';

// [{key, name, label, ms, start, end, colour}] left to right; start/end are the running sum (ms), so the
// last end is the terms' total, which is the plan's cost.
export function costSegments(explain) {
  let at = 0;
  return explain.terms.map((t) => {
    const start = at;
    at += t.ms;
    return {key: t.key, name: termName(t.key), label: t.label, ms: t.ms, start, end: at,
      colour: termColour(t.key)};
  });
}

const BAR_H = 30;
const PAD = 6;

export function drawCostBar(explain, {width = 760, scaleMs = 0} = {}) {
  const segments = costSegments(explain);
  const total = segments.length ? segments[segments.length - 1].end : 0;
  const span = Math.max(total, scaleMs) || 1;
  const plotW = width - (2 * PAD);
  const x = (ms) => PAD + ((plotW * ms) / span);
  const svg = svgRoot(width, BAR_H + (2 * PAD) + 16, `Cost terms, ${ms3(total)} ms in all`, 'cost-bar');
  for (const s of segments) {
    if (!(s.ms > 0)) continue;
    const w = x(s.end) - x(s.start);
    const rect = svgEl('rect', {x: x(s.start), y: PAD, width: Math.max(0.5, w), height: BAR_H, fill: s.colour,
                                'data-term': s.key});
    rect.append(svgEl('title', {}, `${s.label}: ${ms3(s.ms)} ms (${pct1(s.ms, total)})`));
    svg.append(rect);
    if (w >= (7 * s.name.length) + 8) {
      svg.append(svgEl('text', {x: x(s.start) + (w / 2), y: PAD + 20, class: 'box-label'}, s.name));
    }
  }
  svg.append(svgEl('text', {x: x(total), y: BAR_H + (2 * PAD) + 12, class: 'tick end'}, `${ms3(total)} ms`));
  return svg;
}

// The legend as a table: swatch and name, ms, share of the cost. Zero terms are listed too (a plan with one
// stage has no bubble: saying so is part of the explanation).
export function costLegend(explain) {
  const segments = costSegments(explain);
  const total = segments.length ? segments[segments.length - 1].end : 0;
  const table = document.createElement('table');
  table.className = 'cost-legend';
  table.dataset.testid = 'cost-legend';
  const body = document.createElement('tbody');
  for (const s of segments) {
    const tr = document.createElement('tr');
    tr.title = s.label;
    const name = document.createElement('td');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = s.colour;
    name.append(swatch, document.createTextNode(s.name));
    const ms = document.createElement('td');
    ms.textContent = `${ms3(s.ms)} ms`;
    const share = document.createElement('td');
    share.textContent = pct1(s.ms, total);
    tr.append(name, ms, share);
    body.append(tr);
  }
  const foot = document.createElement('tr');
  foot.className = 'total';
  for (const text of ['total', `${ms3(total)} ms`, '']) {
    const td = document.createElement('td');
    td.textContent = text;
    foot.append(td);
  }
  body.append(foot);
  table.append(body);
  return table;
}
