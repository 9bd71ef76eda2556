// A page fixture that fails the test on any console error or warning, uncaught exception, failed request or
// HTTP error status (a missing favicon included), and on any request that leaves the page's origin.
import fs from 'node:fs';
import path from 'node:path';

import {expect, test as base} from '@playwright/test';

export const test = base.extend({
  page: async ({page, baseURL}, use) => {
    const problems = [];
    const origin = new URL(baseURL).origin;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => {
      // ERR_ABORTED: the test navigated away while a request was in flight (a missing file is a 404, caught
      // below). blob: URLs are downloads, not network requests.
      const error = r.failure()?.errorText ?? '';
      if (!r.url().startsWith('blob:') && !error.includes('ERR_ABORTED')) {
        problems.push(`request failed: ${r.url()} ${error}`);
      }
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on('request', (r) => {
      const url = r.url();
      if (/^https?:/.test(url) && new URL(url).origin !== origin) problems.push(`left the origin: ${url}`);
    });
    await use(page);
    expect(problems, 'console errors, failed requests or requests elsewhere').toEqual([]);
  },
});

export {expect};

// Counts as the page shows them, grouped by thousands ("58,078"), and such a text read back as a number.
export const grouped = (n) => n.toLocaleString('en-US');
export const countOf = (text) => Number(String(text).replaceAll(',', ''));

// Loads the page and waits until the planner's worker has its module (the Run button works before that too,
// but timing checks should not include loading).
export async function openPage(page, query = '') {
  await page.goto(`index.html${query}`);
  await expect(page.getByTestId('state')).toHaveText('idle');
  await expect(page.locator('html')).toHaveAttribute('data-planner', 'ready');
}

export async function runPreset(page, preset, strategy = 'both') {
  await page.getByTestId('preset').selectOption(preset);
  await page.getByTestId('strategy').selectOption(strategy);
  await page.getByTestId('run').click();
}

// Fills the form with a case past the page's limit of inter-stage plans, so Run asks first: row 1's cluster
// with any stage size allowed and 12 layers, 8,232,640 inter-stage plans (metis only). Confirmed, it searches
// for minutes.
export const TOO_LARGE_PLANS = 8232640;
// What Run asks for that case on `workers` workers, at this build's rate (5 microseconds per plan and worker).
export function tooLargeQuestion(workers) {
  const seconds = Math.round((TOO_LARGE_PLANS * 5e-6) / workers);
  return `this case has 8,232,640 inter-stage plans, more than the limit of 5,000,000; searching them would ` +
    `take about ${seconds} seconds on ${workers} worker${workers === 1 ? '' : 's'} (estimated at 5 microseconds ` +
    'per inter-stage plan and worker, the rate of row 4 of the published table in this build; see ' +
    'docs/performance.md). To make it smaller, lower the GPU count or the number of layers, or raise the ' +
    'scale variance.\n\nRun it anyway? Cancel stops it at any time.';
}
export async function fillTooLargeCase(page) {
  await page.getByTestId('preset').selectOption('table1-row1');
  await page.locator('#f-variance').fill('0');
  await page.locator('#f-layers').fill('12');
  await page.getByTestId('strategy').selectOption('metis');
}

// Starts a search that runs for minutes (the case above, confirmed) and waits until it is searching, for the
// tests that cancel one. Row 4 of the table searches in about a second now: it once finished before a click
// on Cancel landed on a busy machine.
export async function startLongRun(page) {
  await fillTooLargeCase(page);
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveText('running');
  // Wait until the search itself runs (not only the worker reading the case).
  await expect(page.getByTestId('steps-metis')).not.toHaveText(/^[0–-]$/, {timeout: 20_000});
}

export async function expectDone(page, timeout = 30_000) {
  await expect(page.getByTestId('state')).toHaveText(/^(done|error|cancelled)$/, {timeout});
  const state = await page.getByTestId('state').textContent();
  const error = await page.getByTestId('error').textContent();
  expect(state, `run ended with: ${error}`).toBe('done');
}

// Loads a golden case folder (hostfile, clusterfile.json, args.json, profiles/) through the file input, as a
// user picks the files, and waits until the page has the case.
export async function loadCaseFolder(page, dir) {
  const input = page.locator('input[type=file]');
  await input.setInputFiles(['hostfile', 'clusterfile.json', 'args.json'].map((n) => path.join(dir, n)));
  await input.setInputFiles(fs.readdirSync(path.join(dir, 'profiles')).map((n) => path.join(dir, 'profiles', n)));
  await expect(page.locator('#loaded')).toBeVisible();
}

// Fills a profiled type's row of the GPU table (measured profiles loaded without a cluster): memory, intra,
// inter, nodes, GPUs per node, in the table's column order.
export async function fillType(page, name, values) {
  const inputs = page.locator(`#types-body tr[data-type="${name}"] input`);
  for (const [i, v] of values.entries()) await inputs.nth(i + 1).fill(String(v));
}

// OPT-350's profiles loaded alone, their GPU table and bounds filled for a small case: 2 A100 and 2 V100 nodes
// of 4 GPUs, global batch 32, max TP 4, max micro-batch 8 (47,553 metis and 47,782 pruned steps).
export async function fillOpt350Case(page) {
  await fillType(page, 'A100', [40, 46, 10, 2, 4]);
  await fillType(page, 'V100', [16, 50, 10, 2, 4]);
  await page.locator('#f-gbs').fill('32');
  await page.locator('#f-max-tp').fill('4');
  await page.locator('#f-max-bs').fill('8');
}
