// The page's sweep: its DOM-free parts (the parameters offered, the table split into its files, the queue that
// hands points to the workers, the chart's scales, cells and colours) and the whole path the planner takes
// (sweepPoints, one runSearch per point through the queue, sweepTable) against `hetplan sweep` byte for byte
// (HETPLAN_BIN).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, readReply} from './helpers.mjs';

let m;
let sweep;
let chart;
let presets;
let shards;
before(async () => {
  m = await loadModule();
  sweep = await importWeb('sweep.js');
  chart = await importWeb('sweep-chart.js');
  presets = await importWeb('presets.js');
  shards = await importWeb('shards.js');
});

// The payload of a module reply, or the module's error thrown.
function payload(replyText, key) {
  const {text, error} = readReply(replyText, key);
  if (error) throw new Error(error.error);
  return text;
}

const specOf = (preset) => presets.specFromConfig(presets.presetConfig(preset));

// What planner.sweep does, with the module called directly in place of the workers: `lanes` lanes take the
// points through the page's queue, with a delay per point so that they finish out of grid order.
async function pageSweep(base, vary, options, lanes = 3) {
  const varyJson = JSON.stringify(vary);
  const points = JSON.parse(payload(m.sweepPoints(JSON.stringify(base), varyJson), 'points'));
  const optionsJson = JSON.stringify(options);
  const order = [];
  const texts = await sweep.runQueue([...Array(lanes).keys()], points.length, async (lane, i) => {
    await new Promise((resolve) => setTimeout(resolve, (points.length - i) * 2));
    if (points[i].error !== undefined) return JSON.stringify({error: points[i].error});
    return payload(m.runSearch(points[i].case, optionsJson, null), 'result');
  }, (i) => order.push(i));
  const table = JSON.parse(payload(m.sweepTable(varyJson, optionsJson, shards.resultsArrayText(texts)), 'table'));
  return {table, order};
}

describe('sweep parts', () => {
  test("the module's errors name the Sweep fields, not --vary", () => {
    const spec = JSON.stringify(specOf('table1-row1'));
    const axes = [{path: 'gbs', label: 'global batch', valuesId: 'v1', paramId: 'p1'},
      {path: 'layers', label: 'layers', valuesId: 'v2', paramId: 'p2'}];
    const onPage = (vary, used = axes) => {
      const r = JSON.parse(m.sweepPoints(spec, JSON.stringify(sweep.varyTexts(vary))));
      assert.equal(r.ok, false);
      return sweep.sweepErrorOnPage(r.error, used);
    };
    assert.deepEqual(onPage([{path: 'gbs', values: '6x4'}]),
        {message: "global batch, values: '6x4' is not a number", id: 'v1'});
    assert.deepEqual(onPage([{path: 'gbs', values: '64'}, {path: 'layers', values: '9..2'}]),
        {message: "layers, values: the range '9..2' needs A <= B and a step above 0", id: 'v2'});
    assert.deepEqual(onPage([{path: 'gbs', values: ' '}]), {message: 'global batch, values: none given', id: 'v1'});
    assert.deepEqual(onPage([{path: 'gbs', values: '1..200'}, {path: 'layers', values: '1..100'}]),
        {message: 'Sweep: more than 10,000 points; give fewer values', id: null});
    const twice = [axes[0], {...axes[0], valuesId: 'v2', paramId: 'p2'}];
    const same = JSON.parse(m.sweepPoints(spec, JSON.stringify(['gbs=64', 'gbs=128'])));
    assert.match(same.error, /is varied already/);
    // One path twice: the second choice is marked.
    assert.deepEqual(sweep.sweepErrorOnPage(same.error, twice), {id: 'p2',
      message: 'Second parameter (global batch): the first parameter varies it already; choose another or none'});
    assert.equal(sweep.sweepErrorOnPage('synthetic spec: args: gbs: expected a whole number', axes), null);
  });

  test('parameters: the args, then nodes and memory per GPU type; loaded files only the args', () => {
    const params = sweep.sweepParameters(presets.presetConfig('three-type'));
    assert.deepEqual(params.map((p) => p.path), ['gbs', 'layers', 'args.max_permute_len', 'types.A100.nodes',
      'types.A100.memory', 'types.V100.nodes', 'types.V100.memory', 'types.T4.nodes', 'types.T4.memory']);
    assert.deepEqual(sweep.sweepParameters(null, true).map((p) => p.path), ['gbs', 'args.max_permute_len']);
  });

  test('every default value list is one the module reads', () => {
    const spec = JSON.stringify(specOf('table1-row1'));
    for (const p of sweep.sweepParameters(presets.presetConfig('table1-row1'))) {
      const r = JSON.parse(m.sweepPoints(spec, JSON.stringify(sweep.varyTexts([p]))));
      assert.equal(r.ok, true, `${p.path}: ${r.error}`);
    }
  });

  test('vary texts: chosen axes only, spaces dropped', () => {
    assert.deepEqual(sweep.varyTexts([{path: 'gbs', values: '64, 128'}, {path: '', values: '1..4'}]),
        ['gbs=64,128']);
  });

  test('the queue keeps grid order whatever order points finish in, and stops at the first failure', async () => {
    const ran = [];
    const results = await sweep.runQueue(['a', 'b'], 5, async (lane, i) => {
      await new Promise((resolve) => setTimeout(resolve, (5 - i) * 3));
      ran.push(`${lane}${i}`);
      return i * 10;
    });
    assert.deepEqual(results, [0, 10, 20, 30, 40]);
    assert.deepEqual(new Set(ran.map((r) => r[0])), new Set(['a', 'b']), 'both lanes take points');
    const started = [];
    await assert.rejects(sweep.runQueue(['a'], 4, async (lane, i) => {
      started.push(i);
      if (i === 1) throw new Error('boom');
      return i;
    }), /boom/);
    assert.deepEqual(started, [0, 1]);
  });
});

describe('sweep chart figures', () => {
  const table = {
    axes: ['gbs', 'types.A100.nodes'],
    points: [
      {point: {gbs: 64, 'types.A100.nodes': 0}, best: [{strategy: 'metis', cost_ms: null, why: 'No plan fits'}]},
      {point: {gbs: 64, 'types.A100.nodes': 1}, best: [{strategy: 'metis', cost_ms: 3000}]},
      {point: {gbs: 128, 'types.A100.nodes': 0}, best: [{strategy: 'metis', cost_ms: 1000}]},
      {point: {gbs: 128, 'types.A100.nodes': 1}, best: [{strategy: 'metis', cost_ms: 2000}]},
    ],
  };

  test('linear scale, a single value in the middle', () => {
    const x = chart.linearScale(64, 256, 10, 202);
    assert.equal(x(64), 10);
    assert.equal(x(256), 202);
    assert.equal(x(160), 106);
    assert.equal(chart.linearScale(5, 5, 0, 100)(5), 50);
  });

  test('heat grid: rows the first axis, columns the second, min and max over the plans', () => {
    const g = chart.heatGrid(table);
    assert.deepEqual([g.rowAxis, g.colAxis, g.rows, g.cols, g.strategy], ['gbs', 'types.A100.nodes', [64, 128],
      [0, 1], 'metis']);
    assert.deepEqual(g.cells.map((c) => [c.row, c.col, c.cost]), [[0, 0, null], [0, 1, 3000], [1, 0, 1000],
      [1, 1, 2000]]);
    assert.equal(g.cells[0].why, 'No plan fits');
    assert.deepEqual([g.min, g.max], [1000, 3000]);
  });

  test('heat colours: the ramp ends and middle exactly, no colour without a plan, readable ink', () => {
    assert.equal(chart.heatColour(1000, 1000, 3000), '#edf8b1');
    assert.equal(chart.heatColour(2000, 1000, 3000), '#41b6c4');
    assert.equal(chart.heatColour(3000, 1000, 3000), '#253494');
    assert.equal(chart.heatColour(1500, 1000, 3000), '#97d7bb');
    assert.equal(chart.heatColour(7, 7, 7), '#edf8b1');
    assert.equal(chart.heatColour(null, 0, 1), null);
    assert.equal(chart.inkOn('#edf8b1'), '#000000');
    assert.equal(chart.inkOn('#253494'), '#ffffff');
  });

  test('line series: one per strategy, points in grid order with their reasons', () => {
    const one = {axes: ['gbs'], points: [
      {point: {gbs: 64}, best: [{strategy: 'metis', cost_ms: 5}, {strategy: 'pruned', cost_ms: 6}]},
      {point: {gbs: 128}, best: [{strategy: 'metis', cost_ms: null, why: 'w'}, {strategy: 'pruned', cost_ms: 7}]},
    ]};
    const s = chart.lineSeries(one);
    assert.deepEqual(s.xs, [64, 128]);
    assert.deepEqual(s.series.map((x) => x.strategy), ['metis', 'pruned']);
    assert.deepEqual(s.series[0].points, [{x: 64, cost: 5, why: ''}, {x: 128, cost: null, why: 'w'}]);
  });

  test('a point the planner refused (module output): no plan for every strategy, the error as the reason', async () => {
    const {table} = await pageSweep(specOf('table1-row1'), ['types.A100.memory=0,80'], {strategy: 'both'});
    const refused = JSON.parse(table.json);
    assert.equal(refused.points[0].best, undefined);
    const why = 'synthetic spec: types[1].memory: expected a number > 0, got 0';
    assert.equal(refused.points[0].error, why);
    const s = chart.lineSeries(refused);
    assert.deepEqual(s.series.map((x) => x.strategy), ['metis', 'pruned']);
    for (const series of s.series) {
      assert.deepEqual(series.points[0], {x: 0, cost: null, why});
      assert.ok(series.points[1].cost > 0);
    }
    const first = {axes: ['types.A100.memory', 'gbs'], points: refused.points.map((p) => ({...p,
      point: {...p.point, gbs: 64}}))};
    const g = chart.heatGrid(first);
    assert.equal(g.strategy, 'metis');
    assert.deepEqual(g.cells.map((c) => c.cost === null), [true, false]);
    assert.equal(g.cells[0].why, why);
  });

  test('cost axis: a round top at or above every cost plus 5%, so no point is drawn above the plot', () => {
    // The refused-memory sweep's cost: ticks alone end at 1500, below it.
    assert.deepEqual(chart.costAxis([1793.551254272461]), {values: [0, 500, 1000, 1500, 2000], decimals: 0,
      max: 2000});
    assert.deepEqual(chart.costAxis([95]), {values: [0, 50, 100], decimals: 0, max: 100});
    assert.deepEqual(chart.costAxis([]), {values: [0, 0.5, 1], decimals: 1, max: 1});
    for (let c = 0.37; c < 1e6; c *= 1.37) {
      const axis = chart.costAxis([c / 3, c]);
      assert.ok(axis.max >= c * 1.05, `${c}: axis ends at ${axis.max}`);
      assert.ok(axis.values.length <= 7, `${c}: ${axis.values.length} ticks`);
    }
  });

  test('labels: short costs, those that fit, spaced axis labels', () => {
    assert.deepEqual([3270.49, 512.4, 12.345, 0.5, null].map(chart.costLabel), ['3270', '512', '12.3', '0.5',
      'no plan']);
    assert.equal(chart.fits('3270', 34), true);
    assert.equal(chart.fits('3270', 33), false);
    assert.deepEqual(chart.spacedLabels([0, 10, 40, 45, 100], ['64', '65', '66', '67', '68']), [0, 2, 4]);
  });
});

const cliBin = process.env.HETPLAN_BIN;

describe('page sweep through the native CLI', {skip: !cliBin && 'HETPLAN_BIN is not set'}, () => {
  let tmp;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hetplan-sweep-'));
  });

  for (const [preset, vary, strategy] of [
    ['table1-row1', ['gbs=64,128,256'], 'both'],
    ['table1-row1', ['gbs=64,128', 'types.A100.nodes=0..2'], 'metis'],
    ['three-type', ['args.max_permute_len=2,8', 'types.T4.memory=8,15'], 'bounded,optimal'],
  ]) {
    test(`${preset} --vary ${vary.join(' --vary ')} --strategy ${strategy}`, async () => {
      const spec = specOf(preset);
      const file = path.join(tmp, `${preset}.json`);
      fs.writeFileSync(file, JSON.stringify(spec));
      const {table, order} = await pageSweep(spec, vary, {strategy, cost_model: 'corrected', top: 1});
      const points = vary.reduce((n, v) => n * JSON.parse(m.sweepPoints(JSON.stringify(spec),
          JSON.stringify([v]))).points.length, 1);
      assert.notDeepEqual(order, [...Array(points).keys()], 'the points should finish out of grid order');
      const args = ['sweep', '--case-json', file, ...vary.flatMap((v) => ['--vary', v]), '--strategy', strategy];
      assert.equal(table.csv, execFileSync(cliBin, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}));
      assert.equal(`${table.json}\n`, execFileSync(cliBin, [...args, '--json'],
          {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}));
    });
  }
});
