// The 1F1B pipeline timeline of an explained plan: the costed stages as rows, each micro-batch's forward and
// backward as boxes, the idle time between them (the bubble) left empty, the time axis in ms.
//
// The cost model times a stage's forward and backward of one micro-batch together (the explanation's
// time_ms); the drawing splits it 1 : 2 (a backward pass does about twice a forward's work), a convention
// the caption states. The schedule is the one-forward-one-backward order: stage s of S first runs
// min(S - 1 - s, B) forwards, then alternates forward and backward, then drains its backwards; a forward
// waits for the stage before, a backward for the stage after. With equal stage times its length is the cost
// model's bubble + compute, (B - 1) max t + sum t; with unequal ones it can be longer, and the picture marks
// the cost model's figure too.

import {ms3, svgEl, svgRoot, ticks} from './svg.js';

export const FORWARD_SHARE = 1 / 3;

// The per-stage op order of 1F1B: [{kind: 'F' | 'B', mb}] for stage s (0-based) of S with B micro-batches.
export function stageOrder(s, S, B) {
  const warm = Math.min(S - 1 - s, B);
  const order = [];
  for (let m = 0; m < warm; m++) order.push({kind: 'F', mb: m});
  for (let m = warm; m < B; m++) order.push({kind: 'F', mb: m}, {kind: 'B', mb: m - warm});
  for (let m = B - warm; m < B; m++) order.push({kind: 'B', mb: m});
  return order;
}

// Boxes {stage (1-based), kind, mb (1-based), start, end} in ms for stage times `times` (forward + backward
// of one micro-batch) and B micro-batches; and the makespan.
export function schedule(times, B) {
  const S = times.length;
  const orders = times.map((_, s) => stageOrder(s, S, B));
  const ends = {F: times.map(() => new Array(B)), B: times.map(() => new Array(B))};
  const next = times.map(() => 0);
  const free = times.map(() => 0);
  const boxes = [];
  let left = orders.reduce((a, o) => a + o.length, 0);
  while (left > 0) {
    let progressed = false;
    for (let s = 0; s < S; s++) {
      // Run stage s's ops in order while what each waits for is done.
      while (next[s] < orders[s].length) {
        const {kind, mb} = orders[s][next[s]];
        const wait = kind === 'F' ? (s === 0 ? 0 : ends.F[s - 1][mb]) :
          (s === S - 1 ? ends.F[s][mb] : ends.B[s + 1][mb]);
        if (wait === undefined) break;
        const length = times[s] * (kind === 'F' ? FORWARD_SHARE : 1 - FORWARD_SHARE);
        const start = Math.max(free[s], wait);
        const end = start + length;
        ends[kind][s][mb] = end;
        free[s] = end;
        boxes.push({stage: s + 1, kind, mb: mb + 1, start, end});
        next[s] += 1;
        left -= 1;
        progressed = true;
      }
    }
    if (!progressed) throw new Error('1F1B schedule: stuck (a stage waits for itself)');
  }
  return {boxes, makespan: Math.max(0, ...free)};
}

const termMs = (explain, key) => explain.terms.find((t) => t.key === key)?.ms ?? 0;

// The explanation's costed stages scheduled, with what the caption and the comparison need.
export function timelineOf(explain) {
  const stages = explain.stages.filter((s) => s.costed);
  const {boxes, makespan} = schedule(stages.map((s) => s.time_ms), explain.batches);
  const model = termMs(explain, 'bubble') + termMs(explain, 'compute');
  // Idle time of each stage within the schedule: its share of the bubble.
  const idle = stages.map((s) => makespan - explain.batches * s.time_ms);
  return {stages, boxes, makespan, modelMs: model, idle, uncosted: explain.stages.length - stages.length};
}

const ROW = 26;
const LABEL = 58;
const TOP = 8;
const AXIS = 34;

// Draws the timeline at `width` px; `scaleMs` (at least the schedule's length) lines two plans up.
export function drawTimeline(explain, {width = 760, scaleMs = 0} = {}) {
  const t = timelineOf(explain);
  const span = Math.max(t.makespan, t.modelMs, scaleMs) || 1;
  const plotW = Math.max(40, width - LABEL - 12);
  const x = (ms) => LABEL + (plotW * ms) / span;
  const height = TOP + (t.stages.length * ROW) + AXIS;
  const svg = svgRoot(width, height, `1F1B timeline: ${t.stages.length} stage(s), ${explain.batches} ` +
                      `micro-batch(es), ${ms3(t.makespan)} ms`, 'timeline');
  t.stages.forEach((s, i) => {
    const y = TOP + (i * ROW);
    svg.append(svgEl('text', {x: LABEL - 6, y: y + 17, class: 'row-label'}, `stage ${s.stage}`));
    // The row's background is the idle time: whatever no box covers is bubble.
    svg.append(svgEl('rect', {x: x(0), y: y + 2, width: x(t.makespan) - x(0), height: ROW - 4, class: 'idle'}));
  });
  for (const b of t.boxes) {
    const y = TOP + ((b.stage - 1) * ROW);
    const w = Math.max(0.5, x(b.end) - x(b.start));
    const box = svgEl('rect', {x: x(b.start), y: y + 2, width: w, height: ROW - 4,
                               class: b.kind === 'F' ? 'fwd' : 'bwd'});
    box.append(svgEl('title', {}, `stage ${b.stage} ${b.kind === 'F' ? 'forward' : 'backward'} of ` +
                     `micro-batch ${b.mb}: ${ms3(b.start)}–${ms3(b.end)} ms`));
    svg.append(box);
    if (w >= 8 * String(b.mb).length + 4) {
      svg.append(svgEl('text', {x: x(b.start) + (w / 2), y: y + 17, class: 'box-label'}, String(b.mb)));
    }
  }
  // The cost model's bubble + compute, where it differs from the schedule's end or not.
  const mx = x(t.modelMs);
  svg.append(svgEl('line', {x1: mx, y1: TOP - 4, x2: mx, y2: TOP + (t.stages.length * ROW), class: 'model-mark'}));
  const axisY = TOP + (t.stages.length * ROW) + 4;
  svg.append(svgEl('line', {x1: x(0), y1: axisY, x2: x(span), y2: axisY, class: 'axis'}));
  const {values, decimals} = ticks(span, Math.max(2, Math.floor(plotW / 80)));
  for (const v of values) {
    svg.append(svgEl('line', {x1: x(v), y1: axisY, x2: x(v), y2: axisY + 4, class: 'axis'}));
    svg.append(svgEl('text', {x: x(v), y: axisY + 16, class: 'tick'}, v.toFixed(decimals)));
  }
  svg.append(svgEl('text', {x: LABEL - 6, y: axisY + 16, class: 'row-label'}, 'ms'));
  return {svg, timeline: t};
}

// One line under the picture: what is drawn and how long, the bubble, and the split convention.
export function timelineCaption(explain, t) {
  const bubble = termMs(explain, 'bubble');
  const same = Math.abs(t.makespan - t.modelMs) <= 1e-9 * Math.max(1, t.modelMs);
  const length = same ? `${ms3(t.makespan)} ms, the cost model's bubble + compute` :
    `${ms3(t.makespan)} ms (the cost model counts bubble + compute = ${ms3(t.modelMs)} ms, the dashed line)`;
  const uncosted = t.uncosted > 0 ? `; ${t.uncosted} stage(s) not costed by the reference model, not drawn` : '';
  return `${t.stages.length} stage(s) × ${explain.batches} micro-batch(es) in 1F1B order: ${length}; ` +
    `bubble ${ms3(bubble)} ms. Forward ⅓, backward ⅔ of each stage's time per micro-batch (the profiles time ` +
    `them together)${uncosted}.`;
}
