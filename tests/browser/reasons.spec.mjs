// The page says why a search found few or no plans: the core's reasons, the same sentences the CLI prints.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, loadCaseFolder, openPage, test} from './fixtures.mjs';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'golden');

const file = (name, text) => ({name, mimeType: 'application/octet-stream', buffer: Buffer.from(text)});

const clusterfile = (memory) => JSON.stringify({
  '0.0.0.1': {instance_type: 'V100', inter_bandwidth: 10, intra_bandwidth: 50, memory: memory.V100},
  '0.0.0.4': {instance_type: 'A100', inter_bandwidth: 10, intra_bandwidth: 46, memory: memory.A100},
});

// A case folder of synthetic profiles (15 layers, micro-batches up to 3), gbs 16, largest tp 3, permute
// length 1, as files.
function caseFiles(hostfile, variance, memory = {V100: 16, A100: 80}) {
  return [
    file('hostfile', hostfile),
    file('clusterfile.json', clusterfile(memory)),
    file('args.json', JSON.stringify({num_layers: 15, gbs: 16, max_profiled_tp_degree: 3,
      max_profiled_batch_size: 3, min_group_scale_variance: variance, max_permute_len: 1})),
    file('synthetic.json', JSON.stringify({layers: 15, max_batch_size: 3})),
  ];
}

const NO_ESTIMATE =
    "270 candidates skipped because the reference's memory estimate does not reach all their GPUs: it counts " +
    'every node as having as many GPUs as the first node in the hostfile, which has fewer than others, so ' +
    'stages on the last GPUs get no estimate (the reference planner fails there). Use --cost-model ' +
    'corrected, which estimates every GPU, or put a node with the most GPUs first in the hostfile.';

test('a first node smaller than the later ones: the page names the true reason', async ({page}) => {
  await openPage(page);
  const hostfile = '0.0.0.1 slots=2\n0.0.0.1 slots=2\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n0.0.0.4 slots=4\n';
  await page.locator('input[type=file]').setInputFiles(caseFiles(hostfile, 0.5));
  await expect(page.locator('#loaded')).toBeVisible();
  await page.locator('#cost-model').selectOption('reference');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('0');
  const reasons = page.getByTestId('reasons');
  await expect(reasons).toBeVisible();
  // The same sentences for both strategies: shown once.
  await expect(reasons.locator('li')).toHaveText([NO_ESTIMATE, 'No plan: every candidate was skipped (see above).']);
  await expect(reasons).not.toContainText('for want of a profile entry');
  await expect(page.locator('#top-tables')).toContainText('The search found no plan (see “Why” above).');
  await expect(page.locator('#plan-caption')).toHaveText('The search found no plan (see “Why” above): nothing to draw.');

  // The corrected model plans the cluster, with nothing to explain.
  await page.locator('#cost-model').selectOption('corrected');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('84');
  await expect(page.getByTestId('steps-pruned')).toHaveText('115');
  await expect(reasons).toBeHidden();
});

test('when no plan fits in memory the page says so in those words', async ({page}) => {
  await openPage(page);
  const hostfile = '0.0.0.4 slots=4\n0.0.0.4 slots=4\n0.0.0.1 slots=4\n0.0.0.1 slots=4\n';
  await page.locator('input[type=file]').setInputFiles(caseFiles(hostfile, 1, {V100: 0.001, A100: 0.001}));
  await expect(page.locator('#loaded')).toBeVisible();
  await page.getByTestId('strategy').selectOption('metis');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('reasons').locator('li')).toHaveText([
    'No plan fits in memory: each of the 208 candidates the search tried needs more memory than its stages\' ' +
    'GPUs have. Use GPUs with more memory (clusterfile "memory") or more GPUs (hostfile), or a smaller model.']);
});

test('a scale variance that leaves no device group is named, with one that leaves some', async ({page}) => {
  await openPage(page);
  await page.getByTestId('preset').selectOption('table1-row1');
  await page.locator('#f-variance').fill('2');
  await page.getByTestId('strategy').selectOption('pruned');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('reasons').locator('li')).toHaveText([
    'No inter-stage plan: the scale-variance filter removed every device group. With a scale variance of 2, ' +
    'each stage needs at least 2 x (GPUs / stages, rounded down) GPUs, and no split of the 32 GPUs into 1 to ' +
    '10 stages passes. A scale variance of 1 or less leaves some: set --scale-variance (args.json ' +
    'min_group_scale_variance, the page\'s Scale variance).']);
});

// The real OPT-350 case: measured profiles (fb_sync 0), micro-batches up to 8 and tp up to 4.
test('measured profiles: why the reference model costs nothing, and the entries bounds past them miss', async ({page}) => {
  const dir = path.join(golden, 'real-opt350-a100-v100-g16');
  test.skip(!fs.existsSync(dir), `${dir} is absent`);
  await openPage(page);
  await loadCaseFolder(page, dir);
  await page.locator('#cost-model').selectOption('reference');
  await page.getByTestId('strategy').selectOption('metis');
  await page.getByTestId('run').click();
  await expectDone(page);
  const reasons = page.getByTestId('reasons').locator('li');
  const codes = () => reasons.evaluateAll((items) => items.map((li) => li.dataset.code));
  expect(await codes()).toEqual(['reference_fb_sync_zero', 'cost_errors']);
  await expect(reasons.first()).toContainText('and 23 of the 23 profile entries have it');

  // Bounds past the profiles: the entries the search missed are listed, and the bounds to set named.
  const args = JSON.parse(fs.readFileSync(path.join(dir, 'args.json'), 'utf8'));
  await page.locator('input[type=file]').setInputFiles([file('args.json', JSON.stringify({...args, gbs: 128,
    max_profiled_tp_degree: 128, max_profiled_batch_size: 16}))]);
  await page.locator('#cost-model').selectOption('corrected');
  await page.getByTestId('run').click();
  await expectDone(page);
  expect(await codes()).toEqual(['profile_coverage', 'skipped_missing_profile']);
  await expect(reasons.first()).toContainText('set --max-tp 4 and --max-bs 8');
  await expect(page.locator('#missing-keys')).toHaveText('Missing profile entries (15): A100 tp1 bs16, A100 tp16 bs1, ' +
    'A100 tp2 bs16, A100 tp4 bs16, A100 tp8 bs1, A100 tp8 bs16, A100 tp8 bs4, A100 tp8 bs8, V100 tp1 bs16, ' +
    'V100 tp1 bs8, V100 tp2 bs16, V100 tp4 bs16, V100 tp8 bs1, V100 tp8 bs16, V100 tp8 bs8.');
});

// Three-GPU V100 nodes before four-GPU A100 nodes: 28 GPUs, a first node smaller than later ones. The page
// once showed "done", 0 steps and no word why; the corrected model plans it, and the page says which stage
// counts exist.
test('three-GPU V100 nodes: planned, with the stage counts that exist', async ({page}) => {
  await openPage(page);
  await page.getByTestId('preset').selectOption('table1-row1');
  const v100 = page.locator('#types-body tr').first();
  await expect(v100.locator('input').first()).toHaveValue('V100');
  await v100.locator('input').nth(6).fill('3');
  await page.getByTestId('strategy').selectOption('metis');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('18,240');
  await expect(page.getByTestId('reasons').locator('li')).toHaveText([
    'The cluster has 28 GPUs, not a power of two. Every stage has a power-of-two number of GPUs, so no single ' +
    'stage holds them all: only the stage counts that exist (6, 7, 10) were searched. The reference planner ' +
    'cannot run this case (it fails before its first plan).']);
});
