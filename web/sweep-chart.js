// The picture of a sweep, from its JSON table ({axes, points: [{point, best: [{strategy, cost_ms, why}]}]}):
// one parameter, the best cost against it, one line per strategy; two, a heat map of the first strategy's
// best cost. The figures (scales, cells, colours, labels) are pure functions, tested in node; the draw
// functions only place them in SVG.

import {svgEl, svgRoot, ticks} from './svg.js';

// Strategy colours and dashes: metis and pruned often find the same plan, and a dashed line on top of a solid
// one keeps both visible.
const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1'];
const DASHES = ['', '6 4', '2 3', '8 3 2 3', '1 2'];
export const strategyColour = (i) => COLOURS[i % COLOURS.length];
export const strategyDash = (i) => DASHES[i % DASHES.length];

// v -> position: d0..d1 onto r0..r1; a single value sits in the middle.
export function linearScale(d0, d1, r0, r1) {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + (((v - d0) * (r1 - r0)) / (d1 - d0));
}

// "3270", "512", "12.5": a cost short enough for a cell or a tooltip's first figure.
export function costLabel(ms) {
  if (!Number.isFinite(ms)) return 'no plan';
  return Math.abs(ms) >= 100 ? ms.toFixed(0) : String(Number(ms.toPrecision(3)));
}

// Whether `text` fits in `width` px at the charts' 11-12 px font (about 7 px a character, a margin each side).
export const fits = (text, width) => (7 * text.length) + 6 <= width;

// The strategies of a table: those of its points that were searched (a point the planner refused, such as
// one with a GPU memory of 0, has an error in place of its best plans).
export function sweepStrategies(table) {
  return (table.points.find((p) => p.best)?.best ?? []).map((b) => b.strategy);
}

// Strategy s's best cost at point p and why there is none: {cost (null without a plan), why}.
export function bestAt(p, s) {
  if (!p.best) return {cost: null, why: p.error ?? ''};
  return {cost: p.best[s]?.cost_ms ?? null, why: p.best[s]?.why ?? ''};
}

// One parameter: {axis, xs, series: [{strategy, points: [{x, cost, why}]}]}, points in grid order.
export function lineSeries(table) {
  const axis = table.axes[0];
  return {
    axis,
    xs: table.points.map((p) => p.point[axis]),
    series: sweepStrategies(table).map((strategy, s) => ({
      strategy,
      points: table.points.map((p) => ({x: p.point[axis], ...bestAt(p, s)})),
    })),
  };
}

const distinct = (values) => [...new Set(values)];

// Two parameters: the first axis down (rows), the second across (columns), each cell the first strategy's best
// cost; min and max over the cells with a plan (null when none has one).
export function heatGrid(table) {
  const [rowAxis, colAxis] = table.axes;
  const rows = distinct(table.points.map((p) => p.point[rowAxis]));
  const cols = distinct(table.points.map((p) => p.point[colAxis]));
  const cells = table.points.map((p) => ({
    row: rows.indexOf(p.point[rowAxis]),
    col: cols.indexOf(p.point[colAxis]),
    ...bestAt(p, 0),
  }));
  const costs = cells.map((c) => c.cost).filter((c) => c !== null);
  return {rowAxis, colAxis, rows, cols, cells, strategy: sweepStrategies(table)[0] ?? '',
    min: costs.length ? Math.min(...costs) : null, max: costs.length ? Math.max(...costs) : null};
}

// Cheap is light, dear is dark (yellow-green-blue): the eye goes to the dark corner first, where not to be.
const RAMP = [[237, 248, 177], [65, 182, 196], [37, 52, 148]];

const hex = (rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

// The colour of a cost between min and max, or null for a point without a plan.
export function heatColour(cost, min, max) {
  if (cost === null || !Number.isFinite(cost)) return null;
  const t = max > min ? Math.min(1, Math.max(0, (cost - min) / (max - min))) : 0;
  const at = t * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(at));
  const f = at - i;
  return hex(RAMP[i].map((c, k) => c + (f * (RAMP[i + 1][k] - c))));
}

// Black or white text on a fill, whichever contrasts more (relative luminance of the sRGB colour).
export function inkOn(fill) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return (0.2126 * r) + (0.7152 * g) + (0.0722 * b) > 0.18 ? '#000000' : '#ffffff';
}

// The x-axis labels that fit: each at least its own width away from the last one kept.
export function spacedLabels(positions, labels) {
  const kept = [];
  let last = -Infinity;
  positions.forEach((x, i) => {
    const half = ((7 * labels[i].length) + 6) / 2;
    if (x - half >= last) {
      kept.push(i);
      last = x + half;
    }
  });
  return kept;
}

// The cost axis of the line chart: from 0 to a round tick at or above the dearest cost plus 5%, so that every
// point lies inside the plot ({values, decimals, max}). `ticks` stops at the last step below its argument, which
// alone would put a cost of 1794 above an axis ending at 1500.
export function costAxis(costs) {
  const top = costs.length ? Math.max(...costs) * 1.05 : 1;
  const {step, values, decimals} = ticks(top, 4);
  if (!(step > 0)) return {values: [0, 1], decimals: 0, max: 1};
  while (values[values.length - 1] < top) values.push(values.length * step);
  return {values, decimals, max: values[values.length - 1]};
}

const pointTitle = (axis, x, strategy, cost, why) =>
  `${axis} ${x}, ${strategy}: ${cost === null ? `no plan: ${why}` : `${costLabel(cost)} ms`}`;

// One parameter: best cost (ms) against the parameter, one line per strategy. A point without a plan is a
// hollow marker on the x axis (its tooltip says why) and breaks the line.
export function drawSweepLine(table, width) {
  const {axis, xs, series} = lineSeries(table);
  const height = 240;
  const m = {left: 52, right: 16, top: 26, bottom: 44};
  const yt = costAxis(series.flatMap((s) => s.points.map((p) => p.cost)).filter((c) => c !== null));
  const yMax = yt.max;
  const x = linearScale(Math.min(...xs), Math.max(...xs), m.left + 10, width - m.right - 10);
  const y = linearScale(0, yMax, height - m.bottom, m.top);
  const svg = svgRoot(width, height, `Best cost against ${axis}`, 'sweep-line');
  for (const v of yt.values) {
    svg.append(svgEl('line', {x1: m.left, x2: width - m.right, y1: y(v), y2: y(v), class: 'gridline'}));
    svg.append(svgEl('text', {x: m.left - 4, y: y(v) + 4, class: 'tick end'}, v.toFixed(yt.decimals)));
  }
  svg.append(svgEl('line', {x1: m.left, x2: width - m.right, y1: y(0), y2: y(0), class: 'axis'}));
  const labels = xs.map(String);
  for (const i of spacedLabels(xs.map(x), labels)) {
    svg.append(svgEl('text', {x: x(xs[i]), y: height - m.bottom + 16, class: 'tick'}, labels[i]));
  }
  svg.append(svgEl('text', {x: (m.left + width - m.right) / 2, y: height - 6, class: 'tick axis-name'}, axis));
  svg.append(svgEl('text', {x: 4, y: 12, class: 'tick start'}, 'best cost (ms)'));
  series.forEach((s, k) => {
    const colour = strategyColour(k);
    let d = '';
    let pen = 'M';
    for (const p of s.points) {
      if (p.cost === null) {
        pen = 'M';
        continue;
      }
      d += `${pen}${x(p.x).toFixed(1)},${y(p.cost).toFixed(1)}`;
      pen = 'L';
    }
    if (d) svg.append(svgEl('path', {d, fill: 'none', stroke: colour, 'stroke-width': 2, 'stroke-dasharray': strategyDash(k)}));
    s.points.forEach((p, i) => {
      const plan = p.cost !== null;
      const dot = svgEl('circle', {cx: x(p.x), cy: plan ? y(p.cost) : y(0), r: plan ? 3.5 : 5,
        fill: plan ? colour : '#ffffff', stroke: colour, 'stroke-width': plan ? 1 : 2,
        class: plan ? 'sweep-point' : 'sweep-point no-plan', 'data-strategy': s.strategy, 'data-index': i});
      dot.append(svgEl('title', {}, pointTitle(axis, p.x, s.strategy, p.cost, p.why)));
      svg.append(dot);
    });
  });
  return svg;
}

function heatDefs(svg) {
  const defs = svgEl('defs');
  const hatch = svgEl('pattern', {id: 'sweep-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)'});
  hatch.append(svgEl('rect', {width: 6, height: 6, fill: '#e4e7ec'}),
      svgEl('line', {x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#9aa3b2', 'stroke-width': 2}));
  const ramp = svgEl('linearGradient', {id: 'sweep-ramp'});
  RAMP.forEach((c, i) => ramp.append(svgEl('stop', {offset: i / (RAMP.length - 1), 'stop-color': hex(c)})));
  defs.append(hatch, ramp);
  svg.append(defs);
}

// Two parameters: a cell per point, coloured by the first strategy's best cost (hatched grey: no plan), its
// cost written in it when it fits; the colour scale underneath.
export function drawHeatMap(table, width) {
  const g = heatGrid(table);
  const rowLabels = g.rows.map(String);
  const m = {left: 24 + Math.max(...rowLabels.map((l) => (7 * l.length) + 6)), right: 8, top: 8, bottom: 70};
  const cellW = (width - m.left - m.right) / g.cols.length;
  const cellH = g.rows.length > 16 ? 16 : 30;
  const gridH = cellH * g.rows.length;
  const height = m.top + gridH + m.bottom;
  const svg = svgRoot(width, height, `Best cost (${g.strategy}) over ${g.rowAxis} and ${g.colAxis}`, 'sweep-heatmap');
  heatDefs(svg);
  for (const c of g.cells) {
    const fill = heatColour(c.cost, g.min, g.max);
    const cx = m.left + (c.col * cellW);
    const cy = m.top + (c.row * cellH);
    const rect = svgEl('rect', {x: cx, y: cy, width: cellW, height: cellH, fill: fill ?? 'url(#sweep-hatch)',
      stroke: '#ffffff', class: fill ? 'sweep-cell' : 'sweep-cell no-plan'});
    rect.append(svgEl('title', {}, `${g.rowAxis} ${g.rows[c.row]}, ${pointTitle(g.colAxis, g.cols[c.col], g.strategy, c.cost, c.why)}`));
    svg.append(rect);
    const label = costLabel(c.cost);
    if (fill && cellH >= 16 && fits(label, cellW)) {
      svg.append(svgEl('text', {x: cx + (cellW / 2), y: cy + (cellH / 2) + 4, class: 'cell-label', fill: inkOn(fill)}, label));
    }
  }
  g.rows.forEach((v, r) => svg.append(svgEl('text', {x: m.left - 4, y: m.top + (r * cellH) + (cellH / 2) + 4,
    class: 'tick end'}, rowLabels[r])));
  const colX = g.cols.map((_, c) => m.left + ((c + 0.5) * cellW));
  const colLabels = g.cols.map(String);
  for (const c of spacedLabels(colX, colLabels)) {
    svg.append(svgEl('text', {x: colX[c], y: m.top + gridH + 14, class: 'tick'}, colLabels[c]));
  }
  svg.append(svgEl('text', {x: (m.left + width - m.right) / 2, y: m.top + gridH + 30, class: 'tick axis-name'}, g.colAxis));
  const midY = m.top + (gridH / 2);
  svg.append(svgEl('text', {x: 12, y: midY, class: 'tick axis-name', transform: `rotate(-90 12 ${midY})`}, g.rowAxis));
  // The colour scale: the cheapest and the dearest plan's cost at its ends.
  const barY = m.top + gridH + 42;
  const barW = Math.min(240, width - m.left - m.right);
  svg.append(svgEl('rect', {x: m.left, y: barY, width: barW, height: 10, fill: 'url(#sweep-ramp)'}));
  svg.append(svgEl('text', {x: m.left, y: barY + 24, class: 'tick start'}, `${costLabel(g.min)} ms`));
  svg.append(svgEl('text', {x: m.left + barW, y: barY + 24, class: 'tick end'}, `${costLabel(g.max)} ms`));
  return svg;
}

// The chart of a sweep's table: a line chart for one parameter, a heat map for two.
export function drawSweepChart(table, width) {
  return table.axes.length === 1 ? drawSweepLine(table, width) : drawHeatMap(table, width);
}
