// Every golden case of ../shared/golden through the WebAssembly module: the reference's counts, the number of
// plans costed and the top five plans (cost model "reference"), and, when HETPLAN_BIN names the native CLI,
// the very same JSON bytes as `hetplan plan --json` apart from elapsed_ms.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {before, describe, test} from 'node:test';

import {caseFromFolder, goldenDir, loadModule, reply, resultText, withoutElapsed} from './helpers.mjs';

// Row 4 searches 1.7 million steps per strategy: a benchmark, not a test.
const TOO_LONG = new Set(['table1-row4']);
const REL_TOL = 1e-9;
const cliBin = process.env.HETPLAN_BIN;

const cases = fs.existsSync(goldenDir) ?
    fs.readdirSync(goldenDir).filter((n) => fs.existsSync(path.join(goldenDir, n, 'expected.json'))).sort() :
    [];
if (cases.length === 0) console.log(`# golden cases skipped: ${goldenDir} is absent`);
if (!cliBin) console.log('# byte comparison with the native CLI skipped: HETPLAN_BIN is not set');

let m;
before(async () => {
  m = await loadModule();
});

function checkRun(name, got, want) {
  assert.equal(got.count, want.count, `${name}: count`);
  assert.equal(got.costed_plans, want.num_costed_plans, `${name}: plans costed`);
  assert.equal(got.top.length, want.top5.length, `${name}: number of top plans`);
  got.top.forEach((p, i) => {
    const w = want.top5[i];
    const rel = Math.abs(p.cost - w.cost) / Math.max(Math.abs(w.cost), 1e-300);
    assert.ok(rel <= REL_TOL, `${name}: top[${i}].cost ${p.cost} vs ${w.cost}`);
    for (const field of ['node_sequence', 'device_groups', 'strategies', 'batches', 'layer_partition',
      'num_stage', 'inter_plan_index']) {
      assert.deepEqual(p[field], w[field], `${name}: top[${i}].${field}`);
    }
  });
}

describe('golden cases', {skip: cases.length === 0 && `${goldenDir} is absent`}, () => {
  for (const name of cases) {
    const dir = path.join(goldenDir, name);
    const skip = TOO_LONG.has(name) && 'too long for a test (run `hetplan table1 --rows 4`)';
    test(name, {skip}, () => {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
      const text = m.runSearch(JSON.stringify(caseFromFolder(dir)),
          JSON.stringify({strategy: 'both', cost_model: 'reference', top: 5}), null);
      const r = reply(text);
      assert.equal(r.ok, true, r.error);
      checkRun(`${name} metis`, r.result.metis, expected.metis);
      checkRun(`${name} pruned`, r.result.pruned, expected.pruned);

      if (cliBin) {
        const native = execFileSync(cliBin, ['plan', '--case', dir, '--json', '--strategy', 'both',
          '--cost-model', 'reference', '--top', '5'], {encoding: 'utf8', maxBuffer: 64 << 20});
        const wasmResult = resultText(text);
        assert.equal(withoutElapsed(wasmResult), withoutElapsed(native), `${name}: WASM and CLI JSON differ`);
      }
    });
  }

  // table1-row1 stores both its profile files and synthetic.json: the generator must give the same search.
  test('table1-row1 from synthetic.json equals its profile files',
      {skip: !cases.includes('table1-row1') && 'table1-row1 absent'}, () => {
        const dir = path.join(goldenDir, 'table1-row1');
        const options = JSON.stringify({strategy: 'both', cost_model: 'reference', top: 5});
        const fromFiles = m.runSearch(JSON.stringify(caseFromFolder(dir)), options, null);
        const fromSpec = m.runSearch(JSON.stringify(caseFromFolder(dir, {useSynthetic: true})), options, null);
        assert.equal(withoutElapsed(fromSpec), withoutElapsed(fromFiles));
      });
});
