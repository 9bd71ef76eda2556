// Two explained plans compared: the differences named in short sentences ("stages 3 vs 2", "bubble
// 120.000 ms vs 80.000 ms", "stage 2 out of memory on V100 in B"), for the side-by-side view. Pure: plans
// in, strings out.

import {termName} from './cost-bar.js';
import {overflowing} from './memory-bars.js';
import {ms3} from './svg.js';

const stageShape = (s) => `${s.dp}×${s.tp}`;
const layersText = (s) => `${s.layers[0]}–${s.layers[1] - 1}`;
const typesText = (s) => s.types.map((t) => `${t.type} × ${t.gpus}`).join(' + ');

// Terms that differ by more than this share of the larger cost are named (rounding noise is not).
const TERM_TOLERANCE = 1e-9;

const PLAN_FIELDS = ['node_sequence', 'device_groups', 'strategies', 'batches', 'layer_partition'];
const samePlan = (p, q) => PLAN_FIELDS.every((f) => JSON.stringify(p[f]) === JSON.stringify(q[f]));

// a, b: {plan, explain}; returns the differences, first the headline figures, then per stage.
export function planDifferences(a, b) {
  const out = [];
  if (samePlan(a.plan, b.plan)) out.push('the same plan: same node order, stages, dp×tp, layers and micro-batches');
  const ea = a.explain;
  const eb = b.explain;
  const cost = (p) => p.cost;
  if (cost(a.plan) !== cost(b.plan)) {
    const delta = cost(b.plan) - cost(a.plan);
    const sign = delta > 0 ? '+' : '−';
    out.push(`cost ${ms3(cost(a.plan))} ms vs ${ms3(cost(b.plan))} ms (B ${sign}${ms3(Math.abs(delta))} ms, ` +
             `${sign}${(100 * Math.abs(delta) / cost(a.plan)).toFixed(1)} %)`);
  }
  const seqA = a.plan.node_sequence.join(' → ');
  const seqB = b.plan.node_sequence.join(' → ');
  if (seqA !== seqB) out.push(`node order ${seqA} vs ${seqB}`);
  if (ea.stages.length !== eb.stages.length) out.push(`stages ${ea.stages.length} vs ${eb.stages.length}`);
  if (ea.batches !== eb.batches) out.push(`micro-batches ${ea.batches} vs ${eb.batches}`);
  const scale = Math.max(ea.total_ms, eb.total_ms);
  for (const ta of ea.terms) {
    const tb = eb.terms.find((t) => t.key === ta.key);
    if (tb && Math.abs(ta.ms - tb.ms) > TERM_TOLERANCE * scale) {
      out.push(`${termName(ta.key)} ${ms3(ta.ms)} ms vs ${ms3(tb.ms)} ms`);
    }
  }
  if (ea.bottleneck_stage !== eb.bottleneck_stage) {
    out.push(`slowest stage ${ea.bottleneck_stage} vs ${eb.bottleneck_stage}`);
  }
  // Stage by stage, while both have the stage.
  for (let i = 0; i < Math.min(ea.stages.length, eb.stages.length); i++) {
    const sa = ea.stages[i];
    const sb = eb.stages[i];
    const parts = [];
    if (typesText(sa) !== typesText(sb)) parts.push(`GPUs ${typesText(sa)} vs ${typesText(sb)}`);
    if (stageShape(sa) !== stageShape(sb)) parts.push(`dp×tp ${stageShape(sa)} vs ${stageShape(sb)}`);
    if (layersText(sa) !== layersText(sb)) parts.push(`layers ${layersText(sa)} vs ${layersText(sb)}`);
    if (parts.length) out.push(`stage ${i + 1}: ${parts.join(', ')}`);
  }
  // Memory past capacity: named per plan when the two differ in it, once when they share it.
  const oom = (e) => overflowing(e).map((o) => `stage ${o.stage} out of memory on ${o.type} ` +
    `(${(100 * o.ratio).toFixed(1)} % of it)`);
  const [oa, ob] = [oom(ea), oom(eb)];
  if (oa.join() === ob.join()) {
    if (oa.length) out.push(`both: ${oa.join('; ')}`);
  } else {
    for (const [name, list] of [['A', oa], ['B', ob]]) for (const o of list) out.push(`${o} in ${name}`);
  }
  return out;
}
