// The plan details' pure parts: the 1F1B schedule, the cost terms as segments, memory past capacity, the
// named differences of two plans, and explanations of a sharded run (the same bytes as one worker).
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, presetCaseJson, reply, resultText, withoutElapsed} from './helpers.mjs';

let m;
let timeline;
let cost;
let memory;
let compare;
let presets;
let shards;
before(async () => {
  m = await loadModule();
  timeline = await importWeb('plan-timeline.js');
  cost = await importWeb('cost-bar.js');
  memory = await importWeb('memory-bars.js');
  compare = await importWeb('plan-compare.js');
  presets = await importWeb('presets.js');
  shards = await importWeb('shards.js');
});

const presetCase = (name) => presetCaseJson(m, presets, name);

const runText = (caseJson, options) => m.runSearch(caseJson, JSON.stringify(options), null);

function runExplained(name, strategy = 'metis,pruned') {
  const r = reply(runText(presetCase(name), {strategy, top: 3, explain: true}));
  assert.equal(r.ok, true, r.error);
  return r.result;
}

const box = (stage, kind, mb, start, end) => ({stage, kind, mb, start, end});

describe('1F1B schedule', () => {
  test('the per-stage order: warm-up forwards, one forward one backward, the drain', () => {
    const text = (s) => timeline.stageOrder(s, 3, 4).map((o) => `${o.kind}${o.mb}`).join(' ');
    assert.equal(text(0), 'F0 F1 F2 B0 F3 B1 B2 B3');
    assert.equal(text(1), 'F0 F1 B0 F2 B1 F3 B2 B3');
    assert.equal(text(2), 'F0 B0 F1 B1 F2 B2 F3 B3');
    // Fewer micro-batches than the warm-up wants.
    assert.equal(timeline.stageOrder(0, 4, 2).map((o) => `${o.kind}${o.mb}`).join(' '), 'F0 F1 B0 B1');
  });

  test('equal stages: the boxes, and the length (B + S - 1) t of the cost model', () => {
    const {boxes, makespan} = timeline.schedule([3, 3], 2);
    assert.deepEqual(boxes, [
      box(1, 'F', 1, 0, 1), box(1, 'F', 2, 1, 2),
      box(2, 'F', 1, 1, 2), box(2, 'B', 1, 2, 4), box(2, 'F', 2, 4, 5), box(2, 'B', 2, 5, 7),
      box(1, 'B', 1, 4, 6), box(1, 'B', 2, 7, 9)]);
    assert.equal(makespan, 9);
  });

  test('a slow first stage: the schedule is shorter than bubble + compute', () => {
    const {boxes, makespan} = timeline.schedule([6, 3], 2);
    assert.deepEqual(boxes, [
      box(1, 'F', 1, 0, 2), box(1, 'F', 2, 2, 4),
      box(2, 'F', 1, 2, 3), box(2, 'B', 1, 3, 5), box(2, 'F', 2, 5, 6), box(2, 'B', 2, 6, 8),
      box(1, 'B', 1, 5, 9), box(1, 'B', 2, 9, 13)]);
    assert.equal(makespan, 13);  // the cost model: (2 - 1) x 6 + 6 + 3 = 15
  });

  test('every preset plan: each stage busy B x its time, no overlap, forwards and backwards in order', () => {
    for (const name of ['table1-row1', 'table1-row3', 'three-type']) {
      for (const r of Object.values(runExplained(name))) {
        for (const plan of r.top) {
          const e = plan.explain;
          const t = timeline.timelineOf(e);
          assert.equal(t.boxes.length, 2 * t.stages.length * e.batches);
          const end = new Map(t.boxes.map((b) => [`${b.stage}${b.kind}${b.mb}`, b.end]));
          t.stages.forEach((s, i) => {
            const row = t.boxes.filter((b) => b.stage === s.stage).sort((x, y) => x.start - y.start);
            const busy = row.reduce((a, b) => a + (b.end - b.start), 0);
            assert.ok(Math.abs(busy - (e.batches * s.time_ms)) <= 1e-9 * busy, `${name} stage ${s.stage}`);
            for (let k = 1; k < row.length; k++) assert.ok(row[k].start >= row[k - 1].end);
            for (const b of row) {
              if (b.kind === 'F' && i > 0) assert.ok(b.start >= end.get(`${s.stage - 1}F${b.mb}`));
              if (b.kind === 'B' && i + 1 < t.stages.length) assert.ok(b.start >= end.get(`${s.stage + 1}B${b.mb}`));
            }
          });
          // One stage: the schedule is the cost model's bubble + compute exactly.
          if (t.stages.length === 1) assert.ok(Math.abs(t.makespan - t.modelMs) <= 1e-9 * t.modelMs);
        }
      }
    }
  });
});

describe('cost terms', () => {
  test('the segments add up to the plan cost, to the last bit, in the cost model order', () => {
    for (const name of ['table1-row1', 'table1-row3', 'three-type']) {
      for (const r of Object.values(runExplained(name))) {
        for (const plan of r.top) {
          const segments = cost.costSegments(plan.explain);
          assert.deepEqual(segments.map((s) => s.key),
              ['bubble', 'compute', 'fb_sync', 'update', 'dp_sync', 'pp', 'batch_generation']);
          assert.equal(segments.at(-1).end, plan.cost);
          for (let i = 1; i < segments.length; i++) assert.equal(segments[i].start, segments[i - 1].end);
        }
      }
    }
  });
});

describe('memory and differences', () => {
  test('row 1: the best plan puts 52798.8 MiB on each V100 of 16384 MiB, past capacity', () => {
    const e = runExplained('table1-row1', 'metis').top[0].explain;
    const rows = memory.memoryRows(e)[0].rows;
    assert.deepEqual(rows.map((r) => [r.type, r.over, r.total.toFixed(1), r.capacity]),
        [['A100', false, '52798.8', 81920], ['V100', true, '52798.8', 16384]]);
    assert.deepEqual(memory.overflowing(e).map((o) => [o.stage, o.type, o.ratio.toFixed(3)]), [[1, 'V100', '3.223']]);
    // Past three times the capacity the scale stops there.
    assert.equal(memory.ratioSpan(e), memory.MAX_RATIO);
  });

  test('row 1, metis #1 vs #2: the differences named', () => {
    const top = runExplained('table1-row1', 'metis').top;
    const [a, b] = [0, 1].map((i) => ({plan: top[i], explain: top[i].explain}));
    assert.deepEqual(compare.planDifferences(a, b), [
      'cost 1793.551 ms vs 1794.485 ms (B +0.934 ms, +0.1 %)',
      'micro-batches 1 vs 2',
      'bubble 0.000 ms vs 580.438 ms',
      'compute 1160.875 ms vs 580.438 ms',
      'batch gen. × B 0.934 ms vs 1.868 ms',
      'stage 1 out of memory on V100 (322.3 % of it) in A',
      'stage 1 out of memory on V100 (162.0 % of it) in B',
    ]);
    assert.deepEqual(compare.planDifferences(a, a), ['the same plan: same node order, stages, dp×tp, layers and ' +
      'micro-batches', 'both: stage 1 out of memory on V100 (322.3 % of it)']);
  });
});

describe('explanations across shards', () => {
  for (const name of ['table1-row1', 'table1-row3', 'three-type']) {
    test(`${name}: 2 and 3 shards searched without, merged with the case: the bytes of one run`, () => {
      const caseJson = presetCase(name);
      const options = {strategy: 'metis,pruned', explain: true};
      const one = resultText(runText(caseJson, options));
      assert.ok(one.includes('"explain":{'));
      for (const count of [2, 3]) {
        const parts = [];
        for (let i = 0; i < count; i++) {
          parts.push(resultText(runText(caseJson, shards.shardOptions({...options, explain: false}, i, count))));
        }
        const merged = m.mergeResults(shards.resultsArrayText(parts), JSON.stringify(options), caseJson);
        assert.equal(withoutElapsed(resultText(merged)), withoutElapsed(one));
      }
    });
  }
});
