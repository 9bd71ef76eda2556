// What the page runs, the CLI command it shows reproduces: the page's synthetic cases (exported as case JSON)
// through `hetplan plan --case-json` give the very same JSON as the WebAssembly module, elapsed_ms aside.
// Needs the native CLI: HETPLAN_BIN.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {before, describe, test} from 'node:test';

import {importWeb, loadModule, reply, resultText, withoutElapsed} from './helpers.mjs';

const cliBin = process.env.HETPLAN_BIN;

describe('page cases through the native CLI', {skip: !cliBin && 'HETPLAN_BIN is not set'}, () => {
  let m;
  let presets;
  let tmp;
  before(async () => {
    m = await loadModule();
    presets = await importWeb('presets.js');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hetplan-cli-'));
  });

  for (const [preset, strategy, costModel, top] of [
    ['table1-row1', 'both', 'corrected', 5],
    ['table1-row3', 'pruned', 'reference', 3],
    ['three-type', 'both', 'corrected', 5],
    // Several strategies with optimal: the other ones carry gap_to_optimum_ms and gap_to_optimum_percent.
    ['three-type', 'metis,bounded,optimal', 'corrected', 3],
    ['table1-row1', 'optimal,bounded-pruned,pruned', 'reference', 2],
  ]) {
    test(`${preset} --strategy ${strategy} --cost-model ${costModel} --top ${top}`, () => {
      const spec = presets.specFromConfig(presets.presetConfig(preset));
      const made = reply(m.syntheticCase(JSON.stringify(spec)));
      assert.equal(made.ok, true, made.error);
      const file = path.join(tmp, `${preset}.json`);
      fs.writeFileSync(file, JSON.stringify(made.case));
      const text = m.runSearch(JSON.stringify(made.case), JSON.stringify({strategy, cost_model: costModel, top}),
          null);
      const native = execFileSync(cliBin, ['plan', '--case-json', file, '--json', '--strategy', strategy,
        '--cost-model', costModel, '--top', String(top)], {encoding: 'utf8'});
      assert.equal(withoutElapsed(resultText(text)), withoutElapsed(native));
    });
  }
});
