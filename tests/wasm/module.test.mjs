// The WebAssembly module's API, on inputs that need nothing outside the repository.
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, presetCaseJson, reply, withoutElapsed} from './helpers.mjs';

let m;
let presets;
before(async () => {
  m = await loadModule();
  presets = await importWeb('presets.js');
});

const synthetic = (name) => presetCaseJson(m, presets, name);

function run(caseJson, options, events = null) {
  const text = m.runSearch(caseJson, JSON.stringify(options), events ? (e) => events.push(e) : null);
  return {text, r: reply(text)};
}

describe('synthetic presets', () => {
  test('table1-row1 both gives the published 612 / 562', () => {
    const {r} = run(synthetic('table1-row1'), {strategy: 'both', top: 3});
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(Object.keys(r.result), ['metis', 'pruned']);
    assert.equal(r.result.metis.count, 612);
    assert.equal(r.result.pruned.count, 562);
    assert.equal(r.result.metis.top.length, 3);
  });

  test('table1-row3 gives the published 3734 / 3482', () => {
    const {r} = run(synthetic('table1-row3'), {strategy: 'both'});
    assert.equal(r.result.metis.count, 3734);
    assert.equal(r.result.pruned.count, 3482);
  });

  test('the three-type preset is the synth3 golden case (4163 / 2537)', () => {
    const {r} = run(synthetic('three-type'), {strategy: 'both'});
    assert.equal(r.result.metis.count, 4163);
    assert.equal(r.result.pruned.count, 2537);
  });

  test('a case over the limit is refused with its kind and counts, besides the message', () => {
    const {r} = run(synthetic('table1-row1'), {strategy: 'metis', max_inter_plans: 100});
    assert.equal(r.ok, false);
    assert.equal(r.kind, 'too_large');
    assert.equal(r.inter_plans, 176);
    assert.equal(r.limit, 100);
    assert.match(r.error, /^this case has 176 inter-stage plans, more than the limit of 100 \(max_inter_plans\); /);
  });

  test("the page's refusal names no option, counts its workers and estimates at this build's rate", () => {
    const why = (shards) => run(synthetic('table1-row1'), {strategy: 'metis', max_inter_plans: 100,
      confirm_in_page: true, shard_index: 0, shard_count: shards}).r.error;
    const rest = ' (estimated at 5 microseconds per inter-stage plan and worker, the rate of row 4 of the ' +
      'published table in this build; see docs/performance.md). To make it smaller, lower the GPU count or ' +
      'the number of layers, or raise the scale variance';
    assert.equal(why(1), 'this case has 176 inter-stage plans, more than the limit of 100; searching them ' +
      `would take under a second on 1 worker${rest}`);
    assert.equal(why(3), 'this case has 176 inter-stage plans, more than the limit of 100; searching them ' +
      `would take under a second on 3 workers${rest}`);
  });

  test('plans no framework launches carry warnings', () => {
    const {r} = run(synthetic('table1-row1'), {strategy: 'metis', top: 1});
    assert.deepEqual(r.result.top[0].warnings.map((w) => w.kind), ['tp_across_nodes', 'tp_across_types']);
  });

  test('a single strategy gives R alone', () => {
    const {r} = run(synthetic('table1-row1'), {strategy: 'pruned', cost_model: 'reference', top: 1});
    assert.equal(r.result.strategy, 'pruned');
    assert.equal(r.result.cost_model, 'reference');
    assert.equal(r.result.count, 562);
    assert.equal(r.result.top.length, 1);
  });

  test('the same case gives the same bytes twice, elapsed_ms aside', () => {
    const caseJson = synthetic('table1-row1');
    const a = run(caseJson, {strategy: 'both', top: 5}).text;
    const b = run(caseJson, {strategy: 'both', top: 5}).text;
    assert.equal(withoutElapsed(a), withoutElapsed(b));
  });
});

describe('warm-up', () => {
  test('runs searches of its built-in case for the time given, at least one, and changes no result', () => {
    const caseJson = synthetic('table1-row1');
    const first = run(caseJson, {strategy: 'both', top: 5}).text;
    assert.equal(m.warmUp(0), 1);
    const start = performance.now();
    const searches = m.warmUp(30);
    assert.ok(searches >= 1 && searches <= 400, `${searches} searches`);
    // The budget is checked after each search: it returns once 30 ms have passed (the clocks differ by less
    // than a millisecond), or after 400 searches.
    assert.ok(searches === 400 || performance.now() - start >= 29);
    assert.equal(withoutElapsed(run(caseJson, {strategy: 'both', top: 5}).text), withoutElapsed(first));
  });
});

describe('progress events', () => {
  test('start, then final per strategy, with counts that never go down', () => {
    const events = [];
    const {r} = run(synthetic('table1-row1'), {strategy: 'both', progress_interval_ms: 0}, events);
    assert.equal(r.ok, true);
    for (const strategy of ['metis', 'pruned']) {
      const mine = events.filter((e) => e.strategy === strategy);
      assert.ok(mine.length >= 3, `${strategy}: ${mine.length} events`);
      assert.equal(mine[0].steps, 0);
      assert.equal(mine[0].best_cost, null);
      const last = mine[mine.length - 1];
      assert.equal(last.final, true);
      assert.equal(last.steps, r.result[strategy].count);
      assert.equal(last.inter_done, last.inter_total);
      assert.equal(last.best_cost, r.result[strategy].top[0].cost);
      for (let i = 1; i < mine.length; i++) {
        assert.ok(mine[i].steps >= mine[i - 1].steps);
        assert.ok(mine[i].inter_done >= mine[i - 1].inter_done);
        assert.ok(mine[i].elapsed_ms >= mine[i - 1].elapsed_ms);
      }
      assert.equal(mine.filter((e) => e.final).length, 1);
    }
  });

  test('a short run still gets intermediate values: one event per sixteenth of the plans', () => {
    const events = [];
    const {r} = run(synthetic('table1-row1'), {strategy: 'metis', progress_min_gap_ms: 0}, events);
    const inter = r.result.inter_plans;
    const middle = events.filter((e) => !e.final && e.inter_done > 0 && e.inter_done < inter);
    assert.ok(middle.length >= 12, `${middle.length} intermediate events`);
    assert.ok(events.length <= 20, `${events.length} events`);
  });

  test('slices closer than the minimum gap are passed over: a gap of a minute leaves the start and the end', () => {
    const events = [];
    run(synthetic('table1-row1'), {strategy: 'metis', progress_min_gap_ms: 60000, progress_interval_ms: 60000},
        events);
    assert.deepEqual(events.map((e) => [e.steps, e.final]), [[0, false], [612, true]]);
  });

  test('time only: a short run sends the start and the end', () => {
    const events = [];
    run(synthetic('table1-row1'), {strategy: 'metis', progress_slices: 0, progress_interval_ms: 60000}, events);
    assert.deepEqual(events.map((e) => [e.steps, e.final]), [[0, false], [612, true]]);
  });
});

describe('trials', () => {
  test('repeated searches give the same result as one, and the events of one search and the end', () => {
    const once = [];
    const thrice = [];
    const options = {strategy: 'both', top: 3, progress_slices: 0, progress_interval_ms: 60000};
    const one = run(synthetic('table1-row3'), options, once);
    const three = run(synthetic('table1-row3'), {...options, trials: 3}, thrice);
    assert.equal(three.r.ok, true, three.r.error);
    assert.equal(withoutElapsed(three.text), withoutElapsed(one.text));
    const shape = (events) => events.map((e) => [e.strategy, e.steps, e.final]);
    assert.deepEqual(shape(thrice), shape(once));
    assert.deepEqual(shape(thrice), [['metis', 0, false], ['metis', 3734, true], ['pruned', 0, false],
      ['pruned', 3482, true]]);
    for (const strategy of ['metis', 'pruned']) {
      const last = thrice.filter((e) => e.strategy === strategy && e.final)[0];
      assert.equal(last.elapsed_ms, three.r.result[strategy].elapsed_ms);
    }
  });
});

describe('errors are values', () => {
  const cases = [
    ['case not JSON', () => m.validateCase('{'), /case JSON: not valid JSON/],
    ['case missing hostfile', () => m.validateCase('{}'), /hostfile/],
    ['spec not JSON', () => m.syntheticCase('nope'), /not valid JSON/],
    ['bad strategy', () => m.runSearch(synthetic('table1-row1'), '{"strategy":"fast"}', null),
      /options.strategy: expected one or more of "metis", "pruned", "both"/],
    ['bad cost model', () => m.runSearch(synthetic('table1-row1'), '{"cost_model":1}', null),
      /options.cost_model/],
    ['bad top', () => m.runSearch(synthetic('table1-row1'), '{"top":0}', null), /options.top/],
    ['bad slices', () => m.runSearch(synthetic('table1-row1'), '{"progress_slices":-1}', null),
      /options.progress_slices: expected a whole number from 0 to 1000/],
    ['bad gap', () => m.runSearch(synthetic('table1-row1'), '{"progress_min_gap_ms":"2"}', null),
      /options.progress_min_gap_ms: expected a number of milliseconds from 0 to 60000/],
    ['trials 0', () => m.runSearch(synthetic('table1-row1'), '{"trials":0}', null),
      /options.trials: expected a whole number from 1 to 1000000/],
    ['trials not whole', () => m.runSearch(synthetic('table1-row1'), '{"trials":2.5}', null),
      /options.trials: expected a whole number from 1 to 1000000/],
    ['trials too many', () => m.runSearch(synthetic('table1-row1'), '{"trials":1000001}', null),
      /options.trials: expected a whole number from 1 to 1000000/],
    ['unknown option', () => m.runSearch(synthetic('table1-row1'), '{"topk":3}', null),
      /unknown field "topk"/],
    ['options not an object', () => m.runSearch(synthetic('table1-row1'), '[1]', null),
      /options: expected a JSON object/],
  ];
  for (const [name, call, pattern] of cases) {
    test(name, () => {
      const r = reply(call());
      assert.equal(r.ok, false);
      assert.match(r.error, pattern);
    });
  }

  test('the module still works after errors', () => {
    const r = reply(m.validateCase(synthetic('table1-row1')));
    assert.equal(r.ok, true);
    assert.equal(r.summary.gpus, 32);
  });
});
