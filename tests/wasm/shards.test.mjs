// One search split into shards, as the page's Web Workers split it: the module's shard options, mergeResults
// (the same bytes as one run, elapsed_ms aside) and the page's sum of the shards' progress events.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';

import {caseFromFolder, goldenDir, importWeb, loadModule, presetCaseJson, readReply, reply, resultText, withoutElapsed}
    from './helpers.mjs';

let m;
let presets;
let shards;
before(async () => {
  m = await loadModule();
  presets = await importWeb('presets.js');
  shards = await importWeb('shards.js');
});

const synthetic = (name) => presetCaseJson(m, presets, name);

// The reply text of a run; events (an array) collects its progress events.
function runText(caseJson, options, events = null) {
  return m.runSearch(caseJson, JSON.stringify(options), events ? (e) => events.push(e) : null);
}

// Runs every shard of `count`, merges them in the module: {merged (result text), shardTexts (reply texts)}.
function runSharded(caseJson, options, count) {
  const shardTexts = [];
  for (let i = 0; i < count; i++) {
    const text = runText(caseJson, shards.shardOptions(options, i, count));
    assert.equal(reply(text).ok, true, reply(text).error);
    shardTexts.push(text);
  }
  const merged = m.mergeResults(shards.resultsArrayText(shardTexts.map(resultText)), JSON.stringify(options), '');
  assert.equal(reply(merged).ok, true, reply(merged).error);
  return {merged: resultText(merged), shardTexts};
}

function checkMergeEqualsOneRun(caseJson, options) {
  const whole = resultText(runText(caseJson, options));
  for (const count of [2, 3]) {
    const {merged, shardTexts} = runSharded(caseJson, options, count);
    assert.equal(withoutElapsed(merged), withoutElapsed(whole), `${count} shards`);
    // elapsed_ms of the merge: the longest shard's, per strategy.
    const parts = shardTexts.map((t) => reply(t).result);
    const m2 = JSON.parse(merged);
    const one = (r, s) => (s ? r[s] : r);
    for (const s of typeof m2.strategy === 'string' ? [null] : Object.keys(m2)) {
      assert.equal(one(m2, s).elapsed_ms, Math.max(...parts.map((r) => one(r, s).elapsed_ms)));
    }
  }
}

describe('merged shards equal one run', () => {
  for (const row of [1, 2, 3]) {
    test(`table1-row${row}, both strategies, top 10`, () => {
      checkMergeEqualsOneRun(synthetic(`table1-row${row}`), {strategy: 'both', top: 10});
    });
  }

  test('three types, one strategy, reference cost model, top 100', () => {
    checkMergeEqualsOneRun(synthetic('three-type'), {strategy: 'pruned', cost_model: 'reference', top: 100});
  });

  // The bounded strategies search everything in shard 0 and nothing in the others; the merge adds the gaps to
  // the optimum, which no shard can know.
  test('three types, all five strategies, top 5: the gaps to the optimum come with the merge', () => {
    const options = {strategy: 'metis,pruned,bounded,bounded-pruned,optimal', top: 5};
    checkMergeEqualsOneRun(synthetic('three-type'), options);
    const {merged, shardTexts} = runSharded(synthetic('three-type'), options, 2);
    assert.ok('gap_to_optimum_ms' in JSON.parse(merged).metis);
    for (const t of shardTexts) assert.ok(!('gap_to_optimum_ms' in reply(t).result.metis));
  });

  test('more shards than inter-stage plans: empty shards merge too', () => {
    const caseJson = synthetic('table1-row1');
    const options = {strategy: 'metis', top: 5};
    const plans = reply(m.validateCase(caseJson)).summary.inter_stage_plans;
    const {merged} = runSharded(caseJson, options, plans + 2);
    assert.equal(withoutElapsed(merged), withoutElapsed(resultText(runText(caseJson, options))));
  });

  const real = path.join(goldenDir, 'real-opt350-a100-v100-g16');
  test('missing profile entries and a note survive the merge', {skip: !fs.existsSync(real) && 'golden cases absent'},
      () => {
        const c = caseFromFolder(real);
        // No A100 tp1_bs1 (a note: V100's is used instead) and a hole in V100's table (missing keys).
        delete c.profiles['DeviceType.A100_tp1_bs1.json'];
        delete c.profiles['DeviceType.V100_tp2_bs2.json'];
        const caseJson = JSON.stringify(c);
        const options = {strategy: 'both', top: 5};
        const whole = reply(runText(caseJson, options)).result;
        assert.ok(whole.metis.notes.length > 0, 'the case has a note');
        assert.ok(whole.metis.missing_profile_keys.length > 0, 'the case has missing keys');
        checkMergeEqualsOneRun(caseJson, options);
      });
});

describe('shard options', () => {
  const caseJson = '{}';  // options are checked before the case
  const cases = [
    [{shard_index: 2, shard_count: 2}, 'options.shard_index: expected a whole number from 0 to shard_count - 1 (1), got 2'],
    [{shard_index: 1}, 'options.shard_index: expected a whole number from 0 to shard_count - 1 (0), got 1'],
    [{shard_index: -1, shard_count: 2}, 'options.shard_index: expected a whole number from 0 to shard_count - 1'],
    [{shard_index: 0.5, shard_count: 2}, 'options.shard_index: expected a whole number from 0 to shard_count - 1'],
    [{shard_count: 0}, 'options.shard_count: expected a whole number from 1 to 1024'],
    [{shard_count: 1025}, 'options.shard_count: expected a whole number from 1 to 1024'],
    [{shard_count: '2'}, 'options.shard_count: expected a whole number from 1 to 1024'],
  ];
  for (const [options, message] of cases) {
    test(JSON.stringify(options), () => {
      const r = reply(runText(caseJson, options));
      assert.equal(r.ok, false);
      assert.equal(r.error, message);
    });
  }

  test('the last shard of a count is fine', () => {
    const r = reply(runText(synthetic('table1-row1'), {strategy: 'metis', shard_index: 2, shard_count: 3}));
    assert.equal(r.ok, true, r.error);
    assert.ok(r.result.count <= 612);
  });
});

describe('mergeResults errors', () => {
  let one;
  before(() => {
    one = resultText(runText(synthetic('table1-row1'), {strategy: 'metis', top: 2}));
  });
  const error = (results, options) => reply(m.mergeResults(results, JSON.stringify(options), '')).error;

  test('not an array, or an empty one', () => {
    assert.equal(error('{', {}), 'shard results: expected a non-empty JSON array of results');
    assert.equal(error('[]', {}), 'shard results: expected a non-empty JSON array of results');
  });

  test('bad options', () => {
    assert.equal(error(`[${one}]`, {strategy: 'fast'}),
        'options.strategy: expected one or more of "metis", "pruned", "both" (metis and pruned), "bounded", ' +
        '"bounded-pruned" and "optimal", separated by commas ("metis,bounded,optimal")');
  });

  test('a single result where both strategies are expected', () => {
    assert.equal(error(`[${one}]`, {strategy: 'both'}),
        'shard results: [0]: expected {"metis": R, "pruned": R} (one R per strategy of the option)');
  });

  test('another strategy or cost model than the options say', () => {
    assert.equal(error(`[${one},${one}]`, {strategy: 'pruned'}),
        'shard results: [0]: a metis result with the corrected cost model, expected pruned with corrected');
    assert.equal(error(`[${one}]`, {strategy: 'metis', cost_model: 'reference'}),
        'shard results: [0]: a metis result with the corrected cost model, expected metis with reference');
  });

  test('a broken result names the shard and the field', () => {
    const broken = JSON.parse(one);
    broken.top[1].batches = 'many';
    assert.equal(error(`[${one},${JSON.stringify(broken)}]`, {strategy: 'metis'}),
        'shard results: [1].top[1].batches: expected a whole number from 0 to 2147483647, got "many"');
    const both = `{"metis":${one},"pruned":{"strategy":"pruned"}}`;
    assert.match(error(`[${both}]`, {strategy: 'both'}), /^shard results: \[0\]\.pruned\.cost_model: missing/);
  });
});

describe('the module\'s replies, as the worker reads them', () => {
  test('a result: its text, byte for byte', () => {
    const text = runText(synthetic('table1-row1'), {strategy: 'metis', top: 1});
    const {text: result, error} = readReply(text, 'result');
    assert.equal(error, undefined);
    assert.equal(`{"ok":true,"result":${result}}`, text);
  });

  test('an error: the module\'s object, its kind and counts included', () => {
    const {text, error} = readReply(runText(synthetic('table1-row1'), {strategy: 'metis', max_inter_plans: 100}),
        'result');
    assert.equal(text, undefined);
    assert.equal(error.kind, 'too_large');
    assert.equal(error.inter_plans, 176);
    assert.match(error.error, /inter-stage plans/);
  });

  test('text that is not a reply', () => {
    assert.deepEqual(readReply('oops', 'result'), {error: {error: 'the planner returned a reply without a result'}});
    assert.deepEqual(readReply('{"ok":true,"case":{}}', 'result').error.error,
        'the planner returned a reply without a result');
  });
});

describe('summed progress of the shards', () => {
  test('the final summed event of each strategy carries the counts of one run', () => {
    const caseJson = synthetic('table1-row3');
    const options = {strategy: 'both', top: 1, progress_interval_ms: 0};
    const singleEvents = [];
    runText(caseJson, options, singleEvents);
    const count = 3;
    const add = shards.progressSummer(count);
    const summed = [];
    // Interleave the shards' events as workers would: round robin.
    const perShard = [];
    for (let i = 0; i < count; i++) {
      const events = [];
      runText(caseJson, shards.shardOptions(options, i, count), events);
      perShard.push(events);
    }
    for (let k = 0; k < Math.max(...perShard.map((e) => e.length)); k++) {
      for (let i = 0; i < count; i++) if (k < perShard[i].length) summed.push(add(i, perShard[i][k]));
    }
    for (const strategy of ['metis', 'pruned']) {
      const mine = summed.filter((e) => e.strategy === strategy);
      const finals = mine.filter((e) => e.final);
      assert.equal(finals.length, 1, `${strategy}: one final summed event`);
      assert.equal(mine[mine.length - 1].final, true);
      const want = singleEvents.filter((e) => e.strategy === strategy && e.final)[0];
      const got = finals[0];
      for (const field of ['steps', 'inter_done', 'inter_total', 'costed', 'best_cost']) {
        assert.equal(got[field], want[field], `${strategy}: ${field}`);
      }
      for (let i = 1; i < mine.length; i++) {
        for (const field of ['steps', 'inter_done', 'costed']) assert.ok(mine[i][field] >= mine[i - 1][field]);
      }
    }
  });

  test('worker counts', () => {
    assert.equal(shards.defaultWorkers(2), 2);
    assert.equal(shards.defaultWorkers(64), 8);
    assert.equal(shards.defaultWorkers(undefined), 1);
    assert.equal(shards.validWorkers(16), true);
    assert.equal(shards.validWorkers(17), false);
    assert.equal(shards.validWorkers(1.5), false);
  });
});

describe('runs so far: what the page keeps of a search it ends', () => {
  // Each shard's events and the run so far they carry (the last one), run to the end.
  function soFarOf(caseJson, options, count) {
    const last = [];
    for (let i = 0; i < count; i++) {
      const events = [];
      runText(caseJson, shards.shardOptions(options, i, count), events);
      const carrying = events.filter((e) => e.so_far !== undefined);
      assert.ok(carrying.length > 0, `shard ${i}: no event carried a run so far`);
      for (const e of carrying) {
        const r = JSON.parse(e.so_far);
        assert.ok(Object.keys(r).length >= 1 && Object.keys(r).every((s) => ['metis', 'pruned'].includes(s)));
        // The strategy of the event is the last one so far, and the one cancelled; those before it are whole.
        const names = Object.keys(r);
        assert.equal(names[names.length - 1], e.strategy);
        assert.equal(r[e.strategy].cancelled, true);
        for (const s of names.slice(0, -1)) assert.equal(r[s].cancelled, false);
        assert.ok(r[e.strategy].top.length >= 1);
        assert.equal(r[e.strategy].top[0].explain, undefined);  // the merge explains, given the case
      }
      assert.equal(events.filter((e) => e.final && e.so_far !== undefined).length, 0);
      last.push(carrying[carrying.length - 1].so_far);
    }
    return last;
  }

  test('two shards merged: every strategy begun, marked cancelled, no better than the whole search', () => {
    const caseJson = synthetic('table1-row2');
    const options = {strategy: 'both', top: 3, progress_interval_ms: 0, progress_min_gap_ms: 0};
    const whole = reply(runText(caseJson, options)).result;
    const parts = soFarOf(caseJson, options, 2);
    const text = m.mergeSoFar(shards.resultsArrayText(parts), JSON.stringify({...options, explain: true}), caseJson);
    const merged = reply(text);
    assert.equal(merged.ok, true, merged.error);
    for (const s of ['metis', 'pruned']) {
      const r = merged.result[s];
      assert.equal(r.cancelled, true);
      assert.ok(r.count <= whole[s].count);
      assert.ok(r.top[0].cost >= whole[s].top[0].cost);
      assert.equal(typeof r.top[0].explain, 'object');  // explained, given the case
    }
  });

  test('mergeSoFar: no part is an error, as in mergeResults', () => {
    assert.equal(reply(m.mergeSoFar('[]', '{}', '')).error, 'shard results: expected a non-empty JSON array of results');
  });
});
