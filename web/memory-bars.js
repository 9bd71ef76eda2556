// Memory per GPU of each stage of an explained plan against the GPU's capacity: one bar per GPU type of a
// stage, split into weights, gradients, optimizer states and activations in flight (docs/explain.md), on a
// scale where the dashed line is the capacity; past it the bar turns red. Each stage's heading also gives
// the figure the search checked (demand of the whole stage against its GPUs' summed memory).

import {mib1, pct1, svgEl, svgRoot, whole0} from './svg.js';

export const PARTS = [
  {key: 'weights_mb', name: 'weights', colour: '#4e79a7'},
  {key: 'gradients_mb', name: 'gradients', colour: '#76b7b2'},
  {key: 'optimizer_mb', name: 'optimizer', colour: '#59a14f'},
  {key: 'activations_mb', name: 'activations', colour: '#edc948'},
];
export const OVER_COLOUR = '#c62828';
// Bars past three times the capacity are cut at the edge (and say by how much in their text).
export const MAX_RATIO = 3;

// [{stage, check, rows: [{type, gpus, samples, parts, total, capacity, ratio, over}]}]
export function memoryRows(explain) {
  return explain.stages.map((s) => ({
    stage: s.stage,
    check: s.memory_check,
    rows: (s.memory_per_gpu ?? []).map((g) => ({
      type: g.type, gpus: g.gpus, samples: g.samples,
      parts: PARTS.map((p) => ({key: p.key, name: p.name, colour: p.colour, mb: g[p.key]})),
      total: g.total_mb, capacity: g.capacity_mb, ratio: g.capacity_mb > 0 ? g.total_mb / g.capacity_mb : Infinity,
      over: g.total_mb > g.capacity_mb,
    })),
  }));
}

// The x scale's end as a multiple of capacity: at least 1, at most MAX_RATIO.
export function ratioSpan(explain) {
  const ratios = memoryRows(explain).flatMap((s) => s.rows.map((r) => r.ratio));
  return Math.min(MAX_RATIO, Math.max(1, ...ratios.filter(Number.isFinite)));
}

// The stages the estimate puts past a GPU's memory: [{stage, type, ratio}].
export function overflowing(explain) {
  return memoryRows(explain).flatMap((s) => s.rows.filter((r) => r.over).map((r) => ({stage: s.stage,
    type: r.type, ratio: r.ratio})));
}

// The search's figure, short enough for a phone's line; the tooltip has it in full.
const checkText = (c) => (!c?.known ? 'search check: no figure' :
  `search check: ${pct1(c.demand_mb, c.capacity_mb)} of ${whole0(c.capacity_mb)} MB`);
const checkTitle = (c) => (!c?.known ? 'The search had no memory figure for this stage' :
  `The search checked a demand of ${mib1(c.demand_mb)} MB against the stage's ${mib1(c.capacity_mb)} MB`);

const HEAD = 20;
const LINE = 16;
const BAR = 14;
const GAP = 8;
const PAD = 4;

export function drawMemoryBars(explain, {width = 760, span = 0} = {}) {
  const stages = memoryRows(explain);
  const end = Math.max(ratioSpan(explain), span);
  const plotW = width - (2 * PAD);
  const x = (ratio) => PAD + ((plotW * Math.min(ratio, end)) / end);
  const rows = stages.reduce((a, s) => a + Math.max(1, s.rows.length), 0);
  const height = (stages.length * HEAD) + (rows * (LINE + BAR + GAP)) + PAD;
  const svg = svgRoot(width, height, `Memory per GPU of ${stages.length} stage(s) against capacity`,
                      'memory-bars');
  let y = PAD;
  for (const s of stages) {
    const head = svgEl('text', {x: PAD, y: y + 14});
    head.append(svgEl('tspan', {class: 'stage-head'}, `stage ${s.stage}`),
        svgEl('tspan', {class: 'note'}, ` · ${checkText(s.check)}`), svgEl('title', {}, checkTitle(s.check)));
    svg.append(head);
    y += HEAD;
    if (s.rows.length === 0) {
      svg.append(svgEl('text', {x: PAD, y: y + 12, class: 'note'}, 'no per-GPU estimate'));
      y += LINE + BAR + GAP;
      continue;
    }
    for (const r of s.rows) {
      const g = svgEl('g', {'data-stage': s.stage, 'data-type': r.type, 'data-over': r.over});
      // Short enough for a phone's width: the percentage says how far past capacity.
      g.append(svgEl('text', {x: PAD, y: y + 12, class: r.over ? 'over-text' : 'note'},
                     `${r.type} × ${r.gpus}: ${mib1(r.total)} / ${mib1(r.capacity)} MiB ` +
                     `(${pct1(r.total, r.capacity)})${r.over ? ' over' : ''}`));
      const top = y + LINE;
      g.append(svgEl('rect', {x: PAD, y: top, width: plotW, height: BAR, class: 'mem-track'}));
      let at = 0;
      for (const p of r.parts) {
        if (!(p.mb > 0) || !(r.capacity > 0)) continue;
        const x0 = x(at / r.capacity);
        at += p.mb;
        const rect = svgEl('rect', {x: x0, y: top, width: Math.max(0.5, x(at / r.capacity) - x0), height: BAR,
                                    fill: p.colour});
        rect.append(svgEl('title', {}, `${p.name}: ${mib1(p.mb)} MiB`));
        g.append(rect);
      }
      if (r.over) {
        g.append(svgEl('rect', {x: x(1), y: top, width: Math.max(0.5, x(r.ratio) - x(1)), height: BAR,
                                fill: OVER_COLOUR, class: 'over'}));
      }
      if (r.ratio > end) {
        // Cut at the scale's end: an arrow head says the bar goes on.
        g.append(svgEl('path', {d: `M${x(end) - 9} ${top + 2} l7 5 l-7 5 z`, class: 'cut'}));
      }
      g.append(svgEl('line', {x1: x(1), y1: top - 3, x2: x(1), y2: top + BAR + 3, class: 'capacity'}));
      svg.append(g);
      y += LINE + BAR + GAP;
    }
  }
  return svg;
}

// The legend's items, for an HTML line under the picture.
export const memoryLegend = () => [...PARTS.map((p) => ({name: p.name, colour: p.colour})),
  {name: 'past capacity', colour: OVER_COLOUR}];
