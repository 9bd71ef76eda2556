// The rest of the page: share links, the embed view, reproducing the table, loading cleanly.
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, openPage, test} from './fixtures.mjs';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'golden');
// A small case folder of synthetic profiles, as files a user picks.
const loadedCaseFiles = () => ['hostfile', 'clusterfile.json', 'args.json', 'synthetic.json']
    .map((n) => path.join(golden, 'synth-l8-g16', n));

test('loads cleanly: favicon, CSP, no errors', async ({page}) => {
  const favicon = page.waitForResponse((r) => r.url().endsWith('/favicon.svg'));
  await openPage(page);
  expect((await favicon).status()).toBe(200);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  await expect(page.getByTestId('preset').locator('option[value="table1-row4"]')).toHaveCount(1);
  await expect(page.getByTestId('error')).toBeHidden();
});

test('a share link restores the configuration', async ({page}) => {
  await openPage(page);
  await page.getByTestId('preset').selectOption('three-type');
  await page.getByTestId('strategy').selectOption('pruned');
  await page.locator('#top').fill('3');
  await page.locator('#share').click();
  const url = page.url();
  expect(url).toContain('#config=');

  await page.reload();
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('preset')).toHaveValue('three-type');
  await expect(page.getByTestId('strategy')).toHaveValue('pruned');
  await expect(page.locator('#top')).toHaveValue('3');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-pruned')).toHaveText('2,537');
  // One column per strategy run: no metis column.
  await expect(page.getByTestId('steps-metis')).toHaveCount(0);
  // Plans 1 and 2 of pruned are one plan met twice: one row.
  await expect(page.locator('#top-tables tbody tr')).toHaveCount(2);
  await expect(page.locator('#top-tables tbody tr').first().locator('td').first()).toHaveText(/^1=2\b/);
});

test('a broken share link says so, the page keeps its defaults, and the error goes once the form changes', async ({page}) => {
  await page.goto('index.html#config=%7Bnope');
  await expect(page.getByTestId('error')).toContainText('share link');
  await expect(page.getByTestId('preset')).toHaveValue('table1-row1');
  await expect(page.locator('html')).toHaveAttribute('data-planner', 'ready');
  await expect(page.getByTestId('error')).toContainText('share link');
  await page.getByTestId('preset').selectOption('table1-row2');
  await expect(page.getByTestId('error')).toBeHidden();

  // A broken link, then a good one opened in the same tab: the good one's values, and no error.
  await page.getByTestId('preset').selectOption('three-type');
  await page.locator('#share').click();
  const good = new URL(page.url()).hash;
  await page.getByTestId('preset').selectOption('table1-row1');
  await page.evaluate(() => {
    location.hash = 'config=%7Bnope';
  });
  await expect(page.getByTestId('error')).toContainText('share link');
  await page.evaluate((hash) => {
    location.hash = hash;
  }, good);
  await expect(page.getByTestId('preset')).toHaveValue('three-type');
  await expect(page.getByTestId('error')).toBeHidden();
});

test('?embed=1 is a compact view that runs', async ({page}) => {
  await openPage(page, '?embed=1');
  await expect(page.locator('.reproduce')).toBeHidden();
  await expect(page.locator('.files')).toBeHidden();
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
});

test('reproduce the table: rows 1-3 match the published steps', async ({page}) => {
  await openPage(page);
  await page.locator('#reproduce').click();
  await expectDone(page, 45_000);
  const rows = page.locator('#repro-body tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.locator('td.mismatch')).toHaveCount(0);
  await expect(rows.locator('td.match')).toHaveCount(6);
  await expect(rows.nth(1)).toContainText('58,078');
  await expect(rows.nth(2)).toContainText('3,482');
});

test('a loaded case is not shared as a link: the page says so and offers the case JSON', async ({page}) => {
  await openPage(page);
  await page.locator('input[type=file]').setInputFiles(loadedCaseFiles());
  await expect(page.locator('#loaded')).toBeVisible();
  await page.locator('#share').click();
  await expect(page.getByTestId('export-note')).toContainText('a loaded case cannot be shared as a link');
  await expect(page.getByTestId('export-note')).toContainText('Case JSON');
  expect(page.url()).not.toContain('#config=');
});
