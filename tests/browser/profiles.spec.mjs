// Measured profiles loaded without args.json: the page shows what the files say, takes the fields they give,
// marks those they do not, and builds the cluster in its GPU table when no hostfile and clusterfile come with
// them. The step counts are the native CLI's on the same inputs:
//   hetplan plan --hostfile hostfile --clusterfile clusterfile.json --profiles profiles --num-layers 26 \
//     --gbs 128 --max-tp 4 --max-bs 8                               (the golden folder: 46874 / 47138)
//   ... --profiles ../../real-profiles/OPT-350 --num-layers 26 --gbs 32 --max-tp 4 --max-bs 8 (47553 / 47782),
//   the same as the page's exported case JSON of the cluster built in the form (hetplan plan --case-json).
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, fillOpt350Case, fillType, loadCaseFolder, openPage, test} from './fixtures.mjs';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');
const golden = path.join(shared, 'golden', 'real-opt350-a100-v100-g16');
const opt350 = path.join(shared, 'real-profiles', 'OPT-350');

const filesOf = (dir) => fs.readdirSync(dir).map((n) => path.join(dir, n));
const cells = (row) => row.locator('th, td').allInnerTexts();

test('profiles with a hostfile and clusterfile, no args.json: the facts, fields from the files, the rest marked',
    async ({page}) => {
      test.skip(!fs.existsSync(golden), `${golden} is absent`);
      await openPage(page);
      const input = page.locator('input[type=file]');
      await input.setInputFiles(['hostfile', 'clusterfile.json'].map((n) => path.join(golden, n)));
      await input.setInputFiles(filesOf(path.join(golden, 'profiles')));
      const facts = page.getByTestId('profile-facts');
      await expect(facts).toBeVisible();
      await expect(facts.locator('li')).toHaveText([
        'Model: OPT-350 (the profiles\' model name)',
        'Layers: 26 (the length of the profiles\' layer times)',
        'GPU types profiled: A100, V100',
        'Max TP 4 (from the profiles), max micro-batch 8 (from the profiles): the largest the profiles of the ' +
        'cluster\'s types A100, V100 cover.',
      ]);
      const coverage = page.getByTestId('profile-coverage');
      expect(await cells(coverage.locator('thead tr'))).toEqual(['GPU type', 'tp 1', 'tp 2', 'tp 4']);
      expect(await cells(coverage.locator('tbody tr').nth(0))).toEqual(['A100', '1, 2, 4, 8', '1, 2, 4, 8', '1, 2, 4, 8']);
      expect(await cells(coverage.locator('tbody tr').nth(1))).toEqual(['V100', '1, 2, 4', '1, 2, 4, 8', '1, 2, 4, 8']);

      // Taken from the files, not the preset's 10 layers, 128 and 128; the model named as the files name it.
      await expect(page.locator('#f-layers')).toHaveValue('26');
      await expect(page.locator('#f-max-tp')).toHaveValue('4');
      await expect(page.locator('#f-max-bs')).toHaveValue('8');
      await expect(page.locator('#loaded-summary')).toContainText('model name: OPT-350');
      // What the files do not give is marked, in the form and in the box.
      await expect(page.getByTestId('to-check')).toContainText('Global batch (128), Hidden size (4096), ' +
          'Sequence length (1024), Vocabulary (51200), Attention heads (32)');
      for (const id of ['f-gbs', 'f-hidden', 'f-seq', 'f-vocab', 'f-heads']) {
        await expect(page.locator(`#${id}`)).toHaveClass(/\bto-check\b/);
        await expect(page.locator(`#${id}`)).toBeVisible();
      }
      for (const id of ['f-layers', 'f-max-tp', 'f-max-bs']) {
        await expect(page.locator(`#${id}`)).not.toHaveClass(/\bto-check\b/);
      }
      // The loaded cluster, not the preset's types, and no word of synthetic profiles.
      await expect(page.locator('#cluster-fields')).toBeHidden();
      await expect(page.getByText('Profiles are synthetic')).toBeHidden();
      const clusterRows = page.getByTestId('loaded-cluster').locator('tbody tr');
      expect(await cells(clusterRows.nth(0))).toEqual(['A100', '2', '4', '40', '46', '10']);
      expect(await cells(clusterRows.nth(1))).toEqual(['V100', '2', '4', '16', '50', '10']);

      await page.locator('#f-gbs').fill('128');
      await expect(page.locator('#f-gbs')).not.toHaveClass(/\bto-check\b/);
      // The note drops a field once it is set: it lists only what is still to check.
      await expect(page.getByTestId('to-check')).toContainText('check before a run: Hidden size (4096), ' +
          'Sequence length (1024), Vocabulary (51200), Attention heads (32).');
      await page.getByTestId('run').click();
      await expectDone(page);
      await expect(page.getByTestId('steps-metis')).toHaveText('46,874');
      await expect(page.getByTestId('steps-pruned')).toHaveText('47,138');
    });

test('profiles alone: the GPU table lists the profiled types and the page writes the cluster from it',
    async ({page}) => {
      test.skip(!fs.existsSync(opt350), `${opt350} is absent`);
      await openPage(page);
      await page.locator('input[type=file]').setInputFiles(filesOf(opt350));
      await expect(page.getByTestId('profile-facts')).toContainText('GPU types profiled: A100L, A100, GH200, ' +
          'RTX2080, RTX3090, TITANRTX, V100');
      await expect(page.getByTestId('cluster-from-form')).toBeVisible();
      await expect(page.locator('#f-max-tp')).toHaveValue('8');
      await expect(page.locator('#f-max-bs')).toHaveValue('128');

      // One row per profiled type, names fixed, no time factor (the times are measured), nothing to add.
      const rows = page.locator('#types-body tr');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.type))).toEqual(['A100L', 'A100', 'GH200',
        'RTX2080', 'RTX3090', 'TITANRTX', 'V100']);
      await expect(page.locator('#types-head th[data-field="time_factor"]')).toBeHidden();
      await expect(page.locator('#add-type')).toBeHidden();
      await expect(page.getByTestId('measured-note')).toBeVisible();
      await expect(page.getByText('Profiles are synthetic')).toBeHidden();
      await expect(page.locator('#loaded-summary')).toHaveText('cluster: the GPU table below');
      await expect(rows.first().locator('input').first()).toHaveJSProperty('readOnly', true);

      // No nodes yet: Run says what to set.
      await page.getByTestId('run').click();
      await expect(page.getByTestId('error')).toHaveText('GPU types, Nodes: no nodes (set the nodes of at least one GPU type)');
      // A type with nodes asks for its blank fields (marked), one left out asks for nothing.
      const gh200 = page.locator('#types-body tr[data-type="GH200"] input');
      await expect(page.locator('#types-body .to-check')).toHaveCount(0);
      await gh200.nth(4).fill('1');
      await expect(gh200.nth(1)).toHaveClass(/\bto-check\b/);
      await expect(page.locator('#types-body .to-check')).toHaveCount(4);
      await page.getByTestId('run').click();
      await expect(page.getByTestId('error')).toHaveText('GPU type 3 (GH200), Memory GB: needed for its 1 node(s)');
      await gh200.nth(4).fill('0');
      await expect(page.locator('#types-body .to-check')).toHaveCount(0);

      await fillOpt350Case(page);
      await page.getByTestId('run').click();
      await expectDone(page);
      await expect(page.getByTestId('steps-metis')).toHaveText('47,553');
      await expect(page.getByTestId('steps-pruned')).toHaveText('47,782');
      await expect(page.locator('#cli-command')).toContainText('hetplan plan --case-json case.json');

      // The exported case holds the cluster the page wrote: hosts type by type, one address per row.
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-case').click()]);
      const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
      expect(Object.keys(exported)).toEqual(['hostfile', 'clusterfile', 'profiles', 'args']);
      expect(exported.hostfile).toBe('10.0.0.2 slots=4\n10.0.0.2 slots=4\n10.0.0.7 slots=4\n10.0.0.7 slots=4\n');
      expect(exported.clusterfile).toEqual({
        '10.0.0.2': {instance_type: 'A100', inter_bandwidth: 10, intra_bandwidth: 46, memory: 40},
        '10.0.0.7': {instance_type: 'V100', inter_bandwidth: 10, intra_bandwidth: 50, memory: 16},
      });
      expect(exported.args).toMatchObject({model_name: 'OPT-350', num_layers: 26, gbs: 32,
        max_profiled_tp_degree: 4, max_profiled_batch_size: 8});

      // An edit of the GPU table is an edit of the case.
      await fillType(page, 'V100', [16, 50, 10, 1, 4]);
      await expect(page.getByTestId('stale')).toBeVisible();

      // The exported case loaded back: the same facts, its cluster shown, the same steps.
      await page.locator('input[type=file]').setInputFiles({name: 'case.json', mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(exported))});
      await expect(page.getByTestId('profile-facts')).toContainText('Model: OPT-350 (args.json)');
      await expect(page.locator('#cluster-fields')).toBeHidden();
      const clusterRows = page.getByTestId('loaded-cluster').locator('tbody tr');
      expect(await cells(clusterRows.nth(0))).toEqual(['A100', '2', '4', '40', '46', '10']);
      expect(await cells(clusterRows.nth(1))).toEqual(['V100', '2', '4', '16', '50', '10']);
      await page.getByTestId('run').click();
      await expectDone(page);
      await expect(page.getByTestId('steps-metis')).toHaveText('47,553');
      await expect(page.getByTestId('steps-pruned')).toHaveText('47,782');
    });

test('a loaded hostfile and clusterfile win over the GPU table; the form comes back as it was', async ({page}) => {
  test.skip(!fs.existsSync(opt350) || !fs.existsSync(golden), `${opt350} or ${golden} is absent`);
  await openPage(page);
  await page.getByTestId('preset').selectOption('three-type');
  const input = page.locator('input[type=file]');
  await input.setInputFiles(filesOf(opt350));
  await expect(page.locator('#types-body tr')).toHaveCount(7);
  await page.locator('#f-gbs').fill('32');

  await input.setInputFiles(['hostfile', 'clusterfile.json'].map((n) => path.join(golden, n)));
  await expect(page.locator('#cluster-fields')).toBeHidden();
  await expect(page.getByTestId('cluster-from-form')).toHaveCount(0);
  await expect(page.getByTestId('loaded-cluster').locator('tbody tr')).toHaveCount(2);
  // The bounds of the cluster's types; the global batch the user set is kept and no longer marked.
  await expect(page.locator('#f-max-tp')).toHaveValue('4');
  await expect(page.locator('#f-max-bs')).toHaveValue('8');
  await expect(page.locator('#f-gbs')).toHaveValue('32');
  await expect(page.locator('#f-gbs')).not.toHaveClass(/\bto-check\b/);
  await expect(page.getByTestId('to-check')).not.toContainText('Global batch');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('47,553');
  await expect(page.getByTestId('steps-pruned')).toHaveText('47,782');

  await page.locator('#use-form').click();
  await expect(page.getByTestId('preset')).toHaveValue('three-type');
  await expect(page.locator('#cluster-fields')).toBeVisible();
  await expect(page.locator('#types-head th[data-field="time_factor"]')).toBeVisible();
  await expect(page.getByText('Profiles are synthetic')).toBeVisible();
  await expect(page.locator('.to-check')).toHaveCount(0);
});

test('with args.json its fields win and nothing is left to check', async ({page}) => {
  test.skip(!fs.existsSync(golden), `${golden} is absent`);
  await openPage(page);
  await loadCaseFolder(page, golden);
  const facts = page.getByTestId('profile-facts');
  await expect(facts.locator('li')).toHaveText([
    'Model: OPT-350 (args.json)',
    'Layers: 26 (args.json)',
    'GPU types profiled: A100, V100',
    'Max TP 4 (from args.json), max micro-batch 4 (from args.json).',
    'Hidden size 1024 (from args.json), Sequence length 2048 (from args.json), Vocabulary 50272 (from ' +
    'args.json), Attention heads 16 (from args.json)',
  ]);
  await expect(page.getByTestId('to-check')).toHaveCount(0);
  await expect(page.locator('.to-check')).toHaveCount(0);
  await expect(page.locator('#f-max-bs')).toHaveValue('4');
});

test('on a phone the facts and the profiled types fit the screen', async ({page}) => {
  test.skip(!fs.existsSync(opt350), `${opt350} is absent`);
  await page.setViewportSize({width: 390, height: 844});
  await openPage(page);
  await page.locator('input[type=file]').setInputFiles(filesOf(opt350));
  await expect(page.getByTestId('profile-coverage')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  for (const id of ['profile-facts', 'measured-note']) {
    const box = await page.getByTestId(id).boundingBox();
    expect(box.x + box.width, id).toBeLessThanOrEqual(390);
  }
});
