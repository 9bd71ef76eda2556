// The page's DOM-free modules: the file loader (classify, stage, assemble a case), share links and the CLI
// command, checked against the module so that what the page builds is what the core reads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';

import {crashText, folderFiles, goldenDir, importWeb, loadModule, reply} from './helpers.mjs';

let m;
let files;
let share;
let presets;
before(async () => {
  m = await loadModule();
  files = await importWeb('case-files.js');
  share = await importWeb('share.js');
  presets = await importWeb('presets.js');
});

const classify = (list) => list.map((f) => files.classifyFile(f.path, f.text, {inFolder: true}));

describe('a trapped module', () => {
  test("Emscripten's abort says what happened, without asking for a debug build", () => {
    const said = crashText(new WebAssembly.RuntimeError('Aborted(). Build with -s ASSERTIONS=1 for more info.'));
    assert.equal(said, 'the planner stopped (Aborted()): most likely it ran out of memory (its WebAssembly ' +
      'memory can grow to 2 GB). The page has restarted it; a smaller case or fewer top plans need less');
    assert.match(crashText(new WebAssembly.RuntimeError('memory access out of bounds')),
        /^the planner stopped \(memory access out of bounds\): /);
    assert.match(crashText(new WebAssembly.RuntimeError('Aborted(). Build with -sASSERTIONS for more info.')),
        /^the planner stopped \(Aborted\(\)\): /);
    assert.match(crashText(undefined), /^the planner stopped \(no reason given\): /);
  });
});

describe('file loader', () => {
  test('malformed JSON names the file', () => {
    assert.throws(() => files.classifyFile('case.json', '{"hostfile": '),
        (e) => e instanceof files.InputError && /^case\.json: not valid JSON/.test(e.message));
  });

  test('a profile that is not JSON names the file', () => {
    assert.throws(() => files.classifyFile('DeviceType.A100_tp1_bs1.json', 'nope'),
        /DeviceType\.A100_tp1_bs1\.json: not valid JSON/);
  });

  test('a bad hostfile line is reported with its number', () => {
    assert.throws(() => files.classifyFile('hostfile', '10.0.0.1 slots=4\nbroken line here\n'),
        /hostfile: not a hostfile: line 2/);
  });

  test('an unknown single file is refused, the same file in a folder is ignored', () => {
    assert.throws(() => files.classifyFile('notes.json', '{"a": 1}'), /not a recognised input/);
    assert.equal(files.classifyFile('d/notes.json', '{"a": 1}', {inFolder: true}).kind, 'ignored');
  });

  test('pieces in separate drops add up; a case JSON replaces them', () => {
    let s = files.emptyStaging();
    s = files.stageFiles(s, [files.classifyFile('hostfile', '10.0.0.1 slots=4\n')]);
    assert.deepEqual(files.missingPieces(s), ['a clusterfile', 'a profile folder (DeviceType.*.json)']);
    s = files.stageFiles(s, [files.classifyFile('c.json', '{"10.0.0.1": {"instance_type": "A100"}}')]);
    assert.deepEqual(files.missingPieces(s), ['a profile folder (DeviceType.*.json)']);
    s = files.stageFiles(s, [files.classifyFile('case.json', '{"hostfile": "x 1"}')]);
    assert.deepEqual(files.missingPieces(s), []);
    assert.equal(files.caseFromStaging(s, {}).hostfile, 'x 1');
  });

  test('a golden case folder dropped whole gives the expected counts',
      {skip: !fs.existsSync(path.join(goldenDir, 'real-opt350-a100-v100-g16')) && 'golden cases absent'}, () => {
        const dir = path.join(goldenDir, 'synth3-a100-v100-t4-l8-g16');
        const s = files.stageFiles(files.emptyStaging(), classify(folderFiles(dir)));
        assert.deepEqual(files.missingPieces(s), []);
        const caseObj = files.caseFromStaging(s, {});
        const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
        const r = reply(m.runSearch(JSON.stringify(caseObj), '{"strategy":"both"}', null));
        assert.equal(r.ok, true, r.error);
        assert.equal(r.result.metis.count, expected.metis.count);
        assert.equal(r.result.pruned.count, expected.pruned.count);
      });

  test('a profile folder with no args.json takes its layers from the profiles',
      {skip: !fs.existsSync(path.join(goldenDir, 'real-opt350-a100-v100-g16')) && 'golden cases absent'}, () => {
        const dir = path.join(goldenDir, 'real-opt350-a100-v100-g16');
        const all = classify(folderFiles(dir)).filter((f) => f.kind !== 'args');
        const s = files.stageFiles(files.emptyStaging(), all);
        const args = JSON.parse(fs.readFileSync(path.join(dir, 'args.json'), 'utf8'));
        const fallback = {...args, num_layers: 1};
        const caseObj = files.caseFromStaging(s, fallback);
        assert.equal(caseObj.args.num_layers, 26);
        const r = reply(m.validateCase(JSON.stringify(caseObj)));
        assert.equal(r.ok, true, r.error);
      });
});

describe('share links and CLI commands', () => {
  test('a configuration survives the URL hash', () => {
    const config = presets.presetConfig('three-type');
    config.types[0].name = '<img src=x onerror=alert(1)>';
    const run = {strategy: 'pruned', cost_model: 'reference', top: 7};
    const back = share.parseConfigHash(share.configHash(config, run));
    assert.deepEqual(back, {config, run});
  });

  test('a broken hash is a clear error, no hash is null', () => {
    assert.equal(share.parseConfigHash(''), null);
    assert.throws(() => share.parseConfigHash('#config=%7B'), /share link: .* not valid JSON/);
    assert.throws(() => share.parseConfigHash('#config=%7B%22v%22%3A1%7D'), /not a hetplan configuration/);
  });

  test('unedited table rows have their own command when it prints what the page shows', () => {
    const run = {strategy: 'both', cost_model: 'corrected', top: 5};
    assert.equal(share.cliCommand(presets.presetConfig('table1-row2'), {...run, top: 1}, false),
        'hetplan table1 --rows 2');
    // table1 prints no plans: with a top K, the command that prints K plans of the row's case.
    assert.equal(share.cliCommand(presets.presetConfig('table1-row2'), run, false),
        'hetplan plan --case-json case.json --strategy both --cost-model corrected --top 5');
    const edited = presets.presetConfig('table1-row2');
    edited.gbs = 64;
    assert.equal(share.cliCommand(edited, run, false),
        'hetplan plan --case-json case.json --strategy both --cost-model corrected --top 5');
    assert.equal(share.cliCommand(presets.presetConfig('table1-row1'), {...run, strategy: 'metis'}, false),
        'hetplan plan --case-json case.json --strategy metis --cost-model corrected --top 5');
  });

  test('every table preset is the published case', () => {
    const want = {1: [10, 16], 2: [20, 32], 3: [20, 64], 4: [40, 128]};
    for (const [row, [layers, gpus]] of Object.entries(want)) {
      const c = presets.presetConfig(`table1-row${row}`);
      assert.equal(c.layers, layers);
      assert.deepEqual(c.types.map((t) => [t.name, t.nodes * t.gpus_per_node]), [['V100', gpus], ['A100', gpus]]);
      assert.equal(presets.matchingPreset(c), `table1-row${row}`);
    }
  });
});

describe("the page's Strategy choices", () => {
  test('each choice runs, its columns are the result keys in order, and the CLI command repeats it', async () => {
    const {STRATEGIES} = await importWeb('form.js');
    const {strategyNames} = await importWeb('counters.js');
    assert.equal(STRATEGIES[0], 'both', 'the default first');
    for (const strategy of STRATEGIES) {
      const caseJson = JSON.stringify(reply(m.syntheticCase(JSON.stringify(
          presets.specFromConfig(presets.presetConfig('table1-row1'))))).case);
      const r = reply(m.runSearch(caseJson, JSON.stringify({strategy, top: 1}), null));
      assert.equal(r.ok, true, r.error);
      const names = strategyNames(strategy);
      assert.deepEqual(names.length === 1 ? [r.result.strategy] : Object.keys(r.result), names);
      const cli = share.cliCommand(presets.presetConfig('three-type'), {strategy, cost_model: 'corrected', top: 1},
          false);
      assert.equal(cli, `hetplan plan --case-json case.json --strategy ${strategy} --cost-model corrected --top 1`);
    }
  });
});

describe('the notes of the top tables', () => {
  test('twins shown once as the CLI shows them, launch warnings in one sentence', async () => {
    const notes = await importWeb('plan-notes.js');
    const caseJson = JSON.stringify(reply(m.syntheticCase(JSON.stringify(
        presets.specFromConfig(presets.presetConfig('table1-row1'))))).case);
    const r = reply(m.runSearch(caseJson, JSON.stringify({strategy: 'metis', top: 5}), null)).result;
    const rows = notes.foldedRows(r.top);
    assert.deepEqual(rows.map((x) => x.rank), ['1', '2', '3', '4=5']);
    assert.match(rows[3].note, /^4=5: the same plan, found twice .* shown once\.$/);
    assert.equal(r.count, 612, 'the counts stay');
    assert.match(notes.launchWarning(r.top[0]), /^no framework launches it as it is: stage 1: tp 32 spans 8 nodes/);
    assert.equal(notes.launchWarning({...r.top[0], warnings: []}), null);
  });
});
