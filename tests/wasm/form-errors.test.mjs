// web/form-errors.js against the module's own messages: every field of the form, given a value the module
// refuses, is found from the message (a form's synthetic spec, or loaded files searched with the form's
// bounds), with the module's reason kept; messages about anything else name no field.
import assert from 'node:assert/strict';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, presetCaseJson, reply} from './helpers.mjs';

let m;
let presets;
let errors;
before(async () => {
  m = await loadModule();
  presets = await importWeb('presets.js');
  errors = await importWeb('form-errors.js');
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
    ['time_factor', 0], ['nodes', -1], ['gpus_per_node', 65], ['name', '']]) {
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
