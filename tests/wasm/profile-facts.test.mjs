// What loaded measured profiles say (web/profile-facts.js) and the cluster the page writes from its GPU table
// over them (web/form-cluster.js): checked on small made-up profiles, then on the measured ones in
// ../shared/real-profiles (skipped when absent) through the module and, with HETPLAN_BIN, the native CLI.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, realProfilesDir, resultText, withoutElapsed} from './helpers.mjs';

let facts;
let cluster;
let files;
before(async () => {
  facts = await importWeb('profile-facts.js');
  cluster = await importWeb('form-cluster.js');
  files = await importWeb('case-files.js');
});

// A profile with `layers` layer times and an optional model object.
const profile = (layers, model = {}) => ({
  model: {num_layers: layers, parameters: {parameters_per_layer_bytes: Array(layers).fill(1)}, ...model},
  execution_time: {layer_compute_total_ms: Array(layers).fill(1), forward_backward_time_ms: layers},
  execution_memory: {layer_memory_total_mb: Array(layers).fill(1)},
});

const FORM_ARGS = {model_name: 'GPT', num_layers: 10, gbs: 128, hidden_size: 4096, sequence_length: 1024,
  vocab_size: 51200, attention_head_size: 32, max_profiled_tp_degree: 128, max_profiled_batch_size: 128,
  min_group_scale_variance: 1, max_permute_len: 128};

describe('profile facts', () => {
  test('a file name gives type, tp and micro-batch; a type may hold underscores', () => {
    assert.deepEqual(facts.profileKey('DeviceType.RTX_3090_tp2_bs16.json'), {type: 'RTX_3090', tp: 2, bs: 16});
    assert.equal(facts.profileKey('DeviceType.A100_tp0_bs1.json'), null);
    assert.equal(facts.profileKey('notes.json'), null);
  });

  test('model name, layers, types in the core\'s order and the pairs each covers', () => {
    const f = facts.profileFacts({
      'DeviceType.A100_tp2_bs4.json': profile(6, {model_name: 'OPT-350'}),
      'DeviceType.A100_tp1_bs1.json': profile(6, {model_name: 'OPT-350'}),
      'DeviceType.A100L_tp1_bs2.json': profile(6, {model_name: 'OPT-350'}),
      'DeviceType.A100L_tp1_bs1.json': profile(6, {model_name: 'OPT-350'}),
      'DeviceType.A100_tp2_bs1.json': profile(6, {model_name: 'OPT-350'}),
    });
    assert.equal(f.modelName, 'OPT-350');
    assert.equal(f.modelNameFrom, 'profiles');
    assert.equal(f.layers, 6);
    // Byte order of the file names: "A100L_" before "A100_", as the core reads them.
    assert.deepEqual(f.types, [
      {name: 'A100L', tps: [{tp: 1, bs: [1, 2]}], maxTp: 1, maxBs: 2},
      {name: 'A100', tps: [{tp: 1, bs: [1]}, {tp: 2, bs: [1, 4]}], maxTp: 2, maxBs: 4},
    ]);
    assert.deepEqual(f.dims, {});
  });

  test('the folder names the model when the profiles do not; dimensions are read where present', () => {
    const f = facts.profileFacts({'DeviceType.V100_tp1_bs1.json': profile(4, {hidden_size: 1024, vocab_size: 50272})},
        'my-model');
    assert.equal(f.modelName, 'my-model');
    assert.equal(f.modelNameFrom, 'folder');
    assert.deepEqual(f.dims, {hidden_size: 1024, vocab_size: 50272});
    assert.equal(facts.profileFacts({'DeviceType.V100_tp1_bs1.json': profile(4)}).modelNameFrom, null);
  });

  test('files that disagree say so', () => {
    const f = facts.profileFacts({
      'DeviceType.V100_tp1_bs1.json': profile(4, {model_name: 'a'}),
      'DeviceType.V100_tp1_bs2.json': profile(5, {model_name: 'b'}),
    });
    assert.deepEqual(f.layerCounts, [4, 5]);
    assert.deepEqual(f.modelNames, ['a', 'b']);
  });

  const twoTypes = () => facts.profileFacts({
    'DeviceType.A100_tp4_bs8.json': profile(6, {model_name: 'OPT-350'}),
    'DeviceType.A100_tp1_bs1.json': profile(6, {model_name: 'OPT-350'}),
    'DeviceType.GH200_tp8_bs128.json': profile(6, {model_name: 'OPT-350'}),
  });

  test('without args.json: layers, bounds and name from the profiles, the model\'s other fields to check', () => {
    const {args, source, toCheck} = facts.argsOverProfiles(twoTypes(), null, FORM_ARGS);
    assert.equal(args.model_name, 'OPT-350');
    assert.equal(args.num_layers, 6);
    assert.equal(args.max_profiled_tp_degree, 8);
    assert.equal(args.max_profiled_batch_size, 128);
    assert.equal(source.num_layers, 'profiles');
    assert.equal(source.gbs, 'form');
    assert.deepEqual(toCheck, ['gbs', 'hidden_size', 'sequence_length', 'vocab_size', 'attention_head_size']);
  });

  test('a loaded cluster\'s types bound the largest tp and micro-batch', () => {
    const {args} = facts.argsOverProfiles(twoTypes(), null, FORM_ARGS, ['A100']);
    assert.equal(args.max_profiled_tp_degree, 4);
    assert.equal(args.max_profiled_batch_size, 8);
  });

  test('args.json wins; what it lacks comes from the profiles', () => {
    const {args, source, toCheck} = facts.argsOverProfiles(twoTypes(), {num_layers: 6, gbs: 32, hidden_size: 1024},
        FORM_ARGS);
    assert.equal(args.gbs, 32);
    assert.equal(source.gbs, 'args.json');
    assert.equal(args.max_profiled_tp_degree, 8);
    assert.deepEqual(toCheck, ['sequence_length', 'vocab_size', 'attention_head_size']);
  });

  test('no model name anywhere: not the form\'s "GPT"', () => {
    const {args} = facts.argsOverProfiles(facts.profileFacts({'DeviceType.V100_tp1_bs1.json': profile(4)}), null,
        FORM_ARGS);
    assert.equal(args.model_name, 'unnamed model');
  });
});

describe('cluster from the GPU table', () => {
  const row = (name, nodes, extra = {}) => ({name, memory: 40, intra_bandwidth: 46, inter_bandwidth: 10, nodes,
    gpus_per_node: 4, ...extra});

  test('one address per row, hosts row by row, rows without nodes left out', () => {
    const c = cluster.clusterFromTypes([row('A100L', 0, {memory: null}), row('A100', 2), row('V100', 1,
        {memory: 16, gpus_per_node: 2})]);
    assert.equal(c.hostfile, '10.0.0.2 slots=4\n10.0.0.2 slots=4\n10.0.0.3 slots=2\n');
    assert.deepEqual(c.clusterfile, {
      '10.0.0.2': {instance_type: 'A100', inter_bandwidth: 10, intra_bandwidth: 46, memory: 40},
      '10.0.0.3': {instance_type: 'V100', inter_bandwidth: 10, intra_bandwidth: 46, memory: 16},
    });
    // What it writes, the page's file loader reads back as a hostfile.
    assert.equal(files.classifyFile('hostfile', c.hostfile).kind, 'hostfile');
  });

  test('a used row without memory, a node count no hostfile lists, or no nodes at all: the cell named', () => {
    const refused = (types, message, target) => assert.throws(() => cluster.clusterFromTypes(types),
        (e) => e instanceof files.InputError && e.message === message &&
          JSON.stringify(e.target) === JSON.stringify(target));
    refused([row('V100', 0), row('A100', 1, {memory: null})], 'GPU type 2 (A100), Memory GB: needed for its 1 node(s)',
        {row: 1, column: 'memory'});
    refused([row('A100', 1.5)], 'GPU type 1 (A100), Nodes: expected a whole number from 0 to 4096, got 1.5',
        {row: 0, column: 'nodes'});
    refused([row('A100', 0), row('V100', 0)], 'GPU types, Nodes: no nodes (set the nodes of at least one GPU type)',
        {column: 'nodes'});
  });

  test('GPUs per node is written as it is: the module checks it', () => {
    assert.equal(cluster.clusterFromTypes([row('A100', 1, {gpus_per_node: 0})]).hostfile, '10.0.0.1 slots=0\n');
  });

  test('a loaded cluster per type, in hostfile order', () => {
    const types = cluster.clusterTypes('10.0.0.7 slots=2\n# a comment\n10.0.0.1 4\n10.0.0.7 slots=2\n', {
      '10.0.0.1': {instance_type: 'A100', memory: 40, intra_bandwidth: 46, inter_bandwidth: 10},
      '10.0.0.7': {instance_type: 'V100', memory: 16, intra_bandwidth: 50, inter_bandwidth: 10},
    });
    assert.deepEqual(types.map((t) => [t.name, t.nodes, t.gpus, t.memory]), [['V100', 2, [2, 2], 16],
      ['A100', 1, [4], 40]]);
  });
});

const optDir = path.join(realProfilesDir, 'OPT-350');
const readFolder = (dir) => Object.fromEntries(fs.readdirSync(dir).filter((n) => n.endsWith('.json'))
    .map((n) => [n, JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8'))]));

describe('measured profiles', {skip: !fs.existsSync(optDir) && `${optDir} is absent`}, () => {
  let m;
  before(async () => {
    m = await loadModule();
  });

  test('OPT-350: the facts of its README', () => {
    const f = facts.profileFacts(readFolder(optDir), 'OPT-350');
    assert.equal(f.modelName, 'OPT-350');
    assert.equal(f.layers, 26);
    assert.deepEqual(f.types.map((t) => t.name), ['A100L', 'A100', 'GH200', 'RTX2080', 'RTX3090', 'TITANRTX',
      'V100']);
    const gh200 = f.types.find((t) => t.name === 'GH200');
    assert.deepEqual(gh200.tps.map((t) => [t.tp, t.bs.join(',')]), [[1, '1,2,4,8,16,32'], [2, '1,2,4,8,16,32,64'],
      [4, '1,2,4,8,16,32,64,128']]);
    assert.deepEqual(facts.largestCovered(f), {maxTp: 8, maxBs: 128});
    assert.deepEqual(facts.largestCovered(f, ['A100', 'V100']), {maxTp: 4, maxBs: 8});
  });

  const llama = path.join(realProfilesDir, 'LLAMA-3-8');
  test('LLAMA-3-8: 34 layers, sparse coverage', {skip: !fs.existsSync(llama) && `${llama} is absent`}, () => {
    const f = facts.profileFacts(readFolder(llama));
    assert.equal(f.modelName, 'LLAMA-3-8');
    assert.equal(f.layers, 34);
    assert.deepEqual(f.types.map((t) => [t.name, t.maxTp, t.maxBs]), [['A100', 4, 2], ['GH200', 4, 4], ['V100', 4, 1]]);
  });

  // The case the page runs for OPT-350 loaded alone, 2 A100 and 2 V100 nodes set in its GPU table (the
  // browser test's case): the module's counts, and the CLI's same JSON when HETPLAN_BIN is set.
  test('OPT-350 over a cluster written from the GPU table', () => {
    const profiles = readFolder(optDir);
    const f = facts.profileFacts(profiles);
    const {args} = facts.argsOverProfiles(f, null, {...FORM_ARGS, gbs: 32});
    const rows = f.types.map((t) => ({name: t.name, nodes: 0}));
    Object.assign(rows[1], {memory: 40, intra_bandwidth: 46, inter_bandwidth: 10, nodes: 2, gpus_per_node: 4});
    Object.assign(rows[6], {memory: 16, intra_bandwidth: 50, inter_bandwidth: 10, nodes: 2, gpus_per_node: 4});
    const caseObj = {...cluster.clusterFromTypes(rows), profiles,
      args: {...args, max_profiled_tp_degree: 4, max_profiled_batch_size: 8}};
    const run = {strategy: 'both', cost_model: 'corrected', top: 3};
    const text = resultText(m.runSearch(JSON.stringify(caseObj), JSON.stringify(run), null));
    const result = JSON.parse(text);
    assert.equal(result.metis.count, 47553);
    assert.equal(result.pruned.count, 47782);
    const cliBin = process.env.HETPLAN_BIN;
    if (!cliBin) return;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hetplan-facts-')), 'case.json');
    fs.writeFileSync(file, JSON.stringify(caseObj));
    const native = execFileSync(cliBin, ['plan', '--case-json', file, '--json', '--strategy', 'both',
      '--cost-model', 'corrected', '--top', '3'], {encoding: 'utf8'});
    assert.equal(withoutElapsed(text), withoutElapsed(native));
  });
});
