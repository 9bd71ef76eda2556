// The run options' strategy list: the CLI's --strategy syntax, its order, its errors, and the result shape it
// gives (R alone for one strategy, {name: R, ...} in the order given, gaps to the optimum when optimal runs).
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, reply} from './helpers.mjs';

let m;
let caseJson;
before(async () => {
  m = await loadModule();
  const presets = await importWeb('presets.js');
  const made = reply(m.syntheticCase(JSON.stringify(presets.specFromConfig(presets.presetConfig('three-type')))));
  assert.equal(made.ok, true, made.error);
  caseJson = JSON.stringify(made.case);
});

const run = (options, events = null) =>
  reply(m.runSearch(caseJson, JSON.stringify(options), events ? (e) => events.push(e) : null));

describe('strategy lists', () => {
  for (const [strategy, names] of [
    ['metis,bounded,optimal', ['metis', 'bounded', 'optimal']],
    ['optimal,pruned', ['optimal', 'pruned']],
    ['both,bounded-pruned', ['metis', 'pruned', 'bounded-pruned']],
    ['bounded,both,metis', ['bounded', 'metis', 'pruned']],
    ['metis,pruned,bounded,bounded-pruned,optimal', ['metis', 'pruned', 'bounded', 'bounded-pruned', 'optimal']],
  ]) {
    test(`${strategy}: {${names.join(', ')}} in that order`, () => {
      const r = run({strategy, top: 2});
      assert.equal(r.ok, true, r.error);
      assert.deepEqual(Object.keys(r.result), names);
      for (const name of names) assert.equal(r.result[name].strategy, name);
    });
  }

  test('one strategy, even named twice, gives R alone', () => {
    for (const strategy of ['bounded', 'bounded,bounded', 'optimal']) {
      const r = run({strategy});
      assert.equal(r.ok, true, r.error);
      assert.equal(r.result.strategy, strategy.split(',')[0]);
      assert.equal(typeof r.result.pruned_by_bound, 'number');
    }
  });

  for (const strategy of ['', 'metis,', ',metis', 'metis,,pruned', 'metis, pruned', 'Metis', 'fast', 'bounded_pruned']) {
    test(`${JSON.stringify(strategy)} is refused, naming the names`, () => {
      const r = run({strategy});
      assert.equal(r.ok, false);
      assert.equal(r.error, 'options.strategy: expected one or more of "metis", "pruned", "both" (metis and ' +
          'pruned), "bounded", "bounded-pruned" and "optimal", separated by commas ("metis,bounded,optimal")');
    });
  }

  test('not a string', () => {
    for (const strategy of [1, ['metis'], null, {metis: true}]) {
      assert.match(run({strategy}).error, /^options.strategy: expected one or more of/);
    }
  });
});

describe('bounded strategies and the gap to the optimum', () => {
  test('bounded and bounded-pruned give the top plans of metis and pruned', () => {
    const r = run({strategy: 'metis,pruned,bounded,bounded-pruned', top: 5}).result;
    assert.deepEqual(r.bounded.top, r.metis.top);
    assert.deepEqual(r['bounded-pruned'].top, r.pruned.top);
    assert.ok(r.bounded.inter_plans + r.bounded.pruned_by_bound <= r.metis.inter_plans);
    assert.ok(!('pruned_by_bound' in r.metis));
  });

  test('with optimal, each other strategy says how far its best plan is above the optimum', () => {
    const r = run({strategy: 'metis,pruned,bounded,optimal', top: 3}).result;
    const optimum = r.optimal.top[0].cost;
    assert.ok(!('gap_to_optimum_ms' in r.optimal));
    for (const name of ['metis', 'pruned', 'bounded']) {
      const best = r[name].top[0].cost;
      assert.equal(r[name].gap_to_optimum_ms, best - optimum);
      assert.equal(r[name].gap_to_optimum_percent, (100 * (best - optimum)) / optimum);
      assert.ok(r[name].gap_to_optimum_ms >= 0);
    }
    // The example: on the three-type preset metis answers above the optimum, pruned finds it.
    assert.ok(r.metis.gap_to_optimum_ms > 0);
  });

  test('without optimal, no gap', () => {
    const r = run({strategy: 'metis,bounded'}).result;
    for (const name of ['metis', 'bounded']) assert.ok(!('gap_to_optimum_ms' in r[name]));
  });

  test('a shard of several carries no gap (the merge adds it)', () => {
    const r = run({strategy: 'metis,optimal', shard_index: 0, shard_count: 2}).result;
    assert.ok(!('gap_to_optimum_ms' in r.metis));
  });

  test('the final event of a bounded strategy counts the plans ruled out by the bound as done', () => {
    const events = [];
    const r = run({strategy: 'bounded'}, events).result;
    const last = events[events.length - 1];
    assert.equal(last.final, true);
    assert.equal(last.steps, r.count);
    assert.equal(last.inter_done, r.inter_plans + r.pruned_by_bound);
  });
});
