// The documented ES module (web/hetplan.js) from a script of another page, and the page's exports.
import fs from 'node:fs';

import {expect, expectDone, openPage, runPreset, test} from './fixtures.mjs';

test('hetplan.js: plan, validate, errors and cancel from a script', async ({page}) => {
  await openPage(page);
  const out = await page.evaluate(async () => {
    const {createPlanner, PlannerError} = await import('./hetplan.js');
    const planner = await createPlanner();
    const spec = {
      types: [
        {name: 'V100', memory: 16, intra_bandwidth: 50, inter_bandwidth: 10, time_factor: 3.5, nodes: 4,
          gpus_per_node: 4},
        {name: 'A100', memory: 80, intra_bandwidth: 46, inter_bandwidth: 10, time_factor: 1, nodes: 4,
          gpus_per_node: 4},
      ],
      layers: 10, max_batch_size: 128,
      args: {num_layers: 10, gbs: 128, max_profiled_tp_degree: 128, max_profiled_batch_size: 128,
        min_group_scale_variance: 1, max_permute_len: 128},
    };
    const events = [];
    const result = await planner.plan(spec, {strategy: 'both', top: 3}, (e) => events.push(e));
    const summary = await planner.validate(spec);
    let inputError = null;
    try {
      await planner.plan('{"hostfile": 1}');
    } catch (e) {
      inputError = {isPlannerError: e instanceof PlannerError, kind: e.kind, message: e.message};
    }
    const long = planner.plan({...spec, types: spec.types.map((t) => ({...t, nodes: 32})),
      layers: 40, args: {...spec.args, num_layers: 40}});
    const caught = long.catch((e) => e.kind);
    setTimeout(() => planner.cancel(), 300);
    const cancelledKind = await caught;
    const after = await planner.plan(spec, {strategy: 'pruned'});
    planner.close();
    return {counts: [result.metis.count, result.pruned.count], top: result.metis.top.length,
      finals: events.filter((e) => e.final).map((e) => e.strategy), gpus: summary.gpus, inputError,
      cancelledKind, after: after.count};
  });
  expect(out.counts).toEqual([612, 562]);
  expect(out.top).toBe(3);
  expect(out.finals).toEqual(['metis', 'pruned']);
  expect(out.gpus).toBe(32);
  expect(out.inputError).toMatchObject({isPlannerError: true, kind: 'input'});
  expect(out.inputError.message).toMatch(/^case JSON: /);
  expect(out.cancelledKind).toBe('cancelled');
  expect(out.after).toBe(562);
});

test('exports: case JSON, result JSON and CSV', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'table1-row1');
  await expectDone(page);
  const save = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(id).click()]);
    return {name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8')};
  };
  const kase = await save('#export-case');
  expect(kase.name).toBe('case.json');
  const caseObj = JSON.parse(kase.text);
  expect(caseObj.hostfile).toContain('slots=4');
  expect(caseObj.args.num_layers).toBe(10);
  const result = await save('#export-result');
  expect(result.name).toBe('result.json');
  const r = JSON.parse(result.text);
  expect([r.metis.count, r.pruned.count]).toEqual([612, 562]);
  const csv = await save('#export-csv');
  const lines = csv.text.trim().split('\n');
  expect(lines[0]).toMatch(/^strategy,rank,cost,/);
  expect(lines).toHaveLength(1 + 5 + 5);
  expect(lines[1]).toMatch(/^metis,1,1793\.55/);
});
