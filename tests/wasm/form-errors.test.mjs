// web/form-errors.js against the module's own messages: every field of the form, given a value the module
// refuses, is found from the message (a form's synthetic spec, or loaded files searched with the form's
// bounds), with the module's reason kept; messages about anything else name no field. And web/cluster-errors.js:
// the cell of the GPU table behind a message about the hostfile or clusterfile the page wrote from it
// (web/form-cluster.js), in the synthetic form's words.
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, presetCaseJson, reply} from './helpers.mjs';

let m;
let presets;
let errors;
let formCluster;
let clusterErrors;
before(async () => {
  m = await loadModule();
  presets = await importWeb('presets.js');
  errors = await importWeb('form-errors.js');
  formCluster = await importWeb('form-cluster.js');
  clusterErrors = await importWeb('cluster-errors.js');
});

// The module's message for the first preset with one value of the form changed.
function specError(change) {
  const config = presets.presetConfig('table1-row1');
  change(config);
  const r = reply(m.syntheticCase(JSON.stringify(presets.specFromConfig(config))));
  assert.equal(r.ok, false, 'the module accepted it');
  return r.error;
}

// [form config field, element id, a value the module refuses]
const SCALARS = [
  ['layers', 'f-layers', 1],
  ['max_batch_size', 'f-max-batch', 0],
  ['gbs', 'f-gbs', 0],
  ['max_tp', 'f-max-tp', 0],
  ['max_bs', 'f-max-bs', 0],
  ['scale_variance', 'f-variance', -1],
  ['max_permute_len', 'f-permute', 0],
  ['hidden_size', 'f-hidden', 0],
  ['sequence_length', 'f-seq', 0],
  ['vocab_size', 'f-vocab', 0],
  ['attention_heads', 'f-heads', 0],
];

describe('the field of a module error', () => {
  for (const [field, id, value] of SCALARS) {
    test(`${field} = ${value}: ${id}`, () => {
      const message = specError((c) => {
        c[field] = value;
      });
      const found = errors.fieldOfMessage(message);
      assert.deepEqual(found?.target, {id}, message);
      assert.ok(message.endsWith(`: ${found.reason}`), message);
      assert.match(found.reason, /^expected /);
    });
  }

  for (const [column, value] of [['memory', -1], ['intra_bandwidth', 0], ['inter_bandwidth', 0],
    ['time_factor', 0], ['time_factor', 1e9], ['nodes', -1], ['gpus_per_node', 65], ['name', '']]) {
    test(`GPU type 2's ${column} = ${JSON.stringify(value)}: that cell`, () => {
      const message = specError((c) => {
        c.types[1][column] = value;
      });
      assert.deepEqual(errors.fieldOfMessage(message)?.target, {row: 1, column}, message);
    });
  }

  test('no nodes at all: the Nodes column', () => {
    const message = specError((c) => {
      for (const t of c.types) t.nodes = 0;
    });
    assert.deepEqual(errors.fieldOfMessage(message), {target: {column: 'nodes'}, reason: 'no nodes (every type has 0 nodes)'});
  });

  test("loaded files with the form's bounds: the bound's field", () => {
    const caseObj = JSON.parse(presetCaseJson(m, presets, 'table1-row1'));
    caseObj.args.gbs = 0;
    const r = reply(m.runSearch(JSON.stringify(caseObj), '{"top":1}', null));
    assert.equal(r.ok, false);
    assert.deepEqual(errors.fieldOfMessage(r.error)?.target, {id: 'f-gbs'}, r.error);
  });

  test('messages about something else name no field', () => {
    for (const message of [
      'case JSON: synthetic: layers is 10, but case JSON: args: num_layers is 3; they must be equal',
      'args.json: gbs: expected a whole number from 1 to 16777216, got 0',
      'this case has 8,232,640 inter-stage plans, more than the limit of 1,000,000',
      'cancelled',
      undefined,
    ]) {
      assert.equal(errors.fieldOfMessage(message), null, message);
    }
  });

  test('a GPU type cell is named by row, type and column', () => {
    assert.equal(errors.typeCellLabel(1, 'A100', 'Nodes'), 'GPU type 2 (A100), Nodes');
    assert.equal(errors.typeCellLabel(0, '', 'Name'), 'GPU type 1, Name');
  });
});

describe('the cell of a module error about the cluster written from the GPU table', () => {
  // The GPU table of measured profiles: a row left out first, so that the rows are not the hosts' order.
  const table = () => [
    {name: 'H100', nodes: 0},
    {name: 'V100', memory: 16, intra_bandwidth: 50, inter_bandwidth: 10, nodes: 2, gpus_per_node: 4},
    {name: 'A100', memory: 40, intra_bandwidth: 46, inter_bandwidth: 10, nodes: 2, gpus_per_node: 4},
  ];

  // The module's message for the first preset's case over the cluster written from the table with one value
  // changed, and the hostfile written.
  function clusterError(change) {
    const types = table();
    change(types);
    const cluster = formCluster.clusterFromTypes(types);
    const caseObj = {...JSON.parse(presetCaseJson(m, presets, 'table1-row1')), ...cluster};
    const r = reply(m.runSearch(JSON.stringify(caseObj), '{"top":1}', null));
    assert.equal(r.ok, false, 'the module accepted it');
    return {message: r.error, hostfile: cluster.hostfile};
  }

  // [row, column, a value the module refuses]; A100's hosts are lines 3 and 4 of the hostfile.
  for (const [row, column, value] of [[2, 'memory', 0], [1, 'memory', -1], [1, 'intra_bandwidth', 0],
    [2, 'inter_bandwidth', -2], [2, 'gpus_per_node', 0], [1, 'gpus_per_node', 65], [2, 'gpus_per_node', 2.5],
    [2, 'gpus_per_node', -1]]) {
    test(`row ${row}'s ${column} = ${value}: that cell, with the synthetic form's reason`, () => {
      const {message, hostfile} = clusterError((types) => {
        types[row][column] = value;
      });
      const found = clusterErrors.cellOfClusterMessage(message, hostfile);
      assert.deepEqual(found?.target, {row, column}, message);
      // The same words as for that value in a synthetic form's GPU table.
      const synthetic = errors.fieldOfMessage(specError((c) => {
        c.types[1][column] = value;
      }));
      assert.equal(found.reason, synthetic.reason, message);
    });
  }

  test('more nodes than a hostfile holds: the Nodes column', () => {
    const {message, hostfile} = clusterError((types) => {
      types[1].nodes = 4096;
    });
    assert.deepEqual(clusterErrors.cellOfClusterMessage(message, hostfile),
        {target: {column: 'nodes'}, reason: 'more than 4096 nodes'}, message);
  });

  test("the page's own checks name the cell in the synthetic form's words", () => {
    const refused = (change) => {
      const types = table();
      change(types);
      try {
        formCluster.clusterFromTypes(types);
      } catch (e) {
        assert.ok(e instanceof errors.FieldError, e.message);
        return e;
      }
      assert.fail('accepted');
    };
    const tooMany = refused((types) => {
      types[2].nodes = 5000;
    });
    assert.deepEqual(tooMany.target, {row: 2, column: 'nodes'});
    const synthetic = specError((c) => {
      c.types[1].nodes = 5000;
    });
    assert.equal(tooMany.message, `GPU type 3 (A100), Nodes: ${errors.fieldOfMessage(synthetic).reason}`);
  });

  test('messages about anything else, or a cluster the page did not write, name no cell', () => {
    const {message} = clusterError((types) => {
      types[2].memory = 0;
    });
    assert.equal(clusterErrors.cellOfClusterMessage(message, null), null);
    const hostfile = '10.0.0.2 slots=4\n';
    for (const other of [
      'case JSON: clusterfile: "192.168.0.1".memory: expected a number > 0, got 0',
      'case JSON: hostfile:1: expected \'IP slots=N\' (or \'IP N\'), got \'x\'',
      'case JSON: hostfile:9: slots must be a whole number from 1 to 64, got \'slots=0\'',
      'case JSON: args: gbs: expected a whole number from 1 to 16777216, got 0',
      'cancelled',
      undefined,
    ]) {
      assert.equal(clusterErrors.cellOfClusterMessage(other, hostfile), null, other);
    }
  });

  test('the addresses the page writes, one per row', () => {
    assert.equal(formCluster.rowOfAddress('10.0.0.1'), 0);
    assert.equal(formCluster.rowOfAddress('10.0.0.12'), 11);
    for (const other of ['10.0.0.0', '10.0.0.01', '10.0.1.1', 'host1', undefined]) {
      assert.equal(formCluster.rowOfAddress(other), null, String(other));
    }
  });
});
