// Loading files, bad inputs, and user text that looks like HTML.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, grouped, openPage, runPreset, test} from './fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = path.resolve(here, '..', '..', '..', 'shared', 'golden');

const file = (name, text) => ({name, mimeType: 'application/octet-stream', buffer: Buffer.from(text)});

test('a malformed upload shows a clear error and leaves the page working', async ({page}) => {
  await openPage(page);
  await page.getByTestId('preset').selectOption('table1-row1');
  const input = page.locator('input[type=file]');
  await input.setInputFiles([file('case.json', '{"hostfile": "10.0.0.1 slots=4", ')]);
  await expect(page.getByTestId('error')).toBeVisible();
  await expect(page.getByTestId('error')).toContainText('case.json: not valid JSON');
  await expect(page.getByTestId('state')).toHaveText('idle');
  await expect(page.getByTestId('preset')).toHaveValue('table1-row1');

  // Well-formed JSON that is not a valid case: the core's message, naming the field.
  const clusterfile = {'10.0.0.1': {instance_type: 'A100', inter_bandwidth: 10, intra_bandwidth: 46, memory: 80}};
  await input.setInputFiles([file('case.json', JSON.stringify({hostfile: '10.0.0.9 slots=4\n', clusterfile,
    synthetic: {layers: 4, max_batch_size: 8}, args: {num_layers: 4, gbs: 8}}))]);
  await expect(page.getByTestId('error')).toContainText('do not make a valid case');
  await expect(page.getByTestId('error')).toContainText('10.0.0.9');
  await expect(page.locator('#loaded')).toBeHidden();

  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('error')).toBeHidden();
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  await expect(page.getByTestId('steps-pruned')).toHaveText('562');
});

test('a case folder loaded from files runs with its own inputs', async ({page}) => {
  const dir = path.join(golden, 'synth3-a100-v100-t4-l8-g16');
  test.skip(!fs.existsSync(dir), `${dir} is absent`);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  await openPage(page);
  const input = page.locator('input[type=file]');
  // Pieces in two batches: the page gathers them, then validates the case in the worker.
  await input.setInputFiles(['hostfile', 'clusterfile.json', 'args.json'].map((n) => path.join(dir, n)));
  await expect(page.locator('#staging-note')).toContainText('profile folder');
  const profiles = fs.readdirSync(path.join(dir, 'profiles')).map((n) => path.join(dir, 'profiles', n));
  await input.setInputFiles(profiles);
  await expect(page.locator('#loaded')).toBeVisible();
  await expect(page.locator('#loaded-files')).toContainText('DeviceType.A100_tp128_bs1.json');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText(grouped(expected.metis.count));
  await expect(page.getByTestId('steps-pruned')).toHaveText(grouped(expected.pruned.count));
  await expect(page.locator('#cli-command')).toContainText('hetplan plan --case-json case.json');

  // Back to the form: a preset runs the synthetic case again.
  await runPreset(page, 'table1-row1', 'pruned');
  await expectDone(page);
  await expect(page.getByTestId('steps-pruned')).toHaveText('562');
});

test('HTML in a type name is shown as text', async ({page}) => {
  await openPage(page);
  await page.getByTestId('preset').selectOption('table1-row1');
  const name = '<img src=x onerror="window.__pwned=1">';
  await page.locator('#types-body tr').first().locator('input').first().fill(name);
  await expect(page.getByTestId('preset')).toHaveValue('custom');
  await page.getByTestId('strategy').selectOption('metis');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.locator('#top-tables')).toContainText(name);
  await expect(page.locator('#plan-drawing svg')).toContainText(name);
  await expect(page.locator('main img')).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
});

test('a file name with HTML in it is shown as text', async ({page}) => {
  await openPage(page);
  await page.locator('input[type=file]').setInputFiles([file('<img src=x onerror="window.__pwned=1">.json', 'not json')]);
  await expect(page.getByTestId('error')).toContainText('<img src=x onerror="window.__pwned=1">.json: not valid JSON');
  await expect(page.locator('[data-testid="error"] img')).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
});

test('files dropped on the drop zone are loaded', async ({page}) => {
  const dir = path.join(golden, 'table1-row1');
  test.skip(!fs.existsSync(dir), `${dir} is absent`);
  await openPage(page);
  const files = ['hostfile', 'clusterfile.json', 'args.json', 'synthetic.json', 'expected.json']
      .map((n) => ({name: n, text: fs.readFileSync(path.join(dir, n), 'utf8')}));
  // A drop of plain files (a folder drop gives directory entries; Playwright cannot make those).
  await page.locator('#drop').evaluate((zone, list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name));
    zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
  }, files);
  // expected.json is not an input: as a single file it is refused, and nothing changes.
  await expect(page.getByTestId('error')).toContainText('expected.json: not a recognised input');
  await expect(page.locator('#loaded')).toBeHidden();

  await page.locator('#drop').evaluate((zone, list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name));
    zone.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
  }, files.filter((f) => f.name !== 'expected.json'));
  await expect(page.locator('#loaded')).toBeVisible();
  await expect(page.getByTestId('error')).toBeHidden();
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  await expect(page.getByTestId('steps-pruned')).toHaveText('562');
});
