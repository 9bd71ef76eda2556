// Plan details: the selected plan's 1F1B timeline, cost terms and memory bars, for the presets and for a case
// of real profiles loaded from files; two plans side by side with their differences; a phone's width.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, loadCaseFolder, openPage, runPreset, test} from './fixtures.mjs';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'golden');

const details = (page) => page.getByTestId('plan-details');
const view = (page, letter) => page.getByTestId(`detail-${letter}`);

// A view's picture counts: timeline rows, forward and backward boxes, and the cost legend's total.
async function pictures(part) {
  return {
    rows: await part.locator('[data-testid=timeline] text.row-label').count() - 1,  // the axis' "ms" too
    forward: await part.locator('[data-testid=timeline] rect.fwd').count(),
    backward: await part.locator('[data-testid=timeline] rect.bwd').count(),
    total: await part.locator('[data-testid=cost-legend] tr.total td').nth(1).textContent(),
    memoryRows: await part.locator('[data-testid=memory-bars] g[data-stage]').count(),
  };
}

test('row 1: the best plan drawn; another rank from the picker and from the table', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'table1-row1');
  await expectDone(page);
  await expect(details(page)).toBeVisible();
  await expect(page.getByTestId('detail-plan')).toHaveValue('metis:1');
  await expect(page.getByTestId('detail-compare')).toHaveValue('');
  const a = view(page, 'A');
  // One stage, one micro-batch: one forward and one backward; A100 and V100 bars, the V100 past capacity.
  expect(await pictures(a)).toEqual({rows: 1, forward: 1, backward: 1, total: '1793.551 ms', memoryRows: 2});
  await expect(a.getByTestId('timeline-caption')).toContainText('1160.875 ms, the cost model\'s bubble + compute');
  const v100 = a.locator('g[data-stage="1"][data-type="V100"]');
  await expect(v100).toHaveAttribute('data-over', 'true');
  await expect(v100.locator('rect.over')).toHaveAttribute('fill', '#c62828');
  await expect(v100.locator('text')).toHaveText('V100 × 16: 52798.8 / 16384.0 MiB (322.3 %) over');
  const a100 = a.locator('g[data-stage="1"][data-type="A100"]');
  await expect(a100).toHaveAttribute('data-over', 'false');
  await expect(a100.locator('rect.over')).toHaveCount(0);
  // The cost bar: the non-zero terms, widths adding up to the bar's.
  await expect(a.locator('[data-testid=cost-bar] rect[data-term]')).toHaveCount(4);
  await expect(page.getByTestId('differences')).toBeHidden();

  await page.getByTestId('detail-plan').selectOption('metis:2');
  expect(await pictures(a)).toEqual({rows: 1, forward: 2, backward: 2, total: '1794.485 ms', memoryRows: 2});
  // A row of the top tables picks the plan too.
  await page.locator('#top-tables table').nth(1).locator('tbody tr').nth(2).click();
  await expect(page.getByTestId('detail-plan')).toHaveValue('pruned:3');
  await expect(a.locator('h4')).toHaveText(/^pruned #3, /);
});

test('three types: metis #1 beside pruned #1, on the same scales, the differences named', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'three-type');
  await expectDone(page);
  await page.getByTestId('detail-compare').selectOption('pruned:1');
  const [a, b] = [view(page, 'A'), view(page, 'B')];
  expect(await pictures(a)).toEqual({rows: 1, forward: 1, backward: 1, total: '3553.630 ms', memoryRows: 3});
  expect(await pictures(b)).toEqual({rows: 2, forward: 32, backward: 32, total: '3481.542 ms', memoryRows: 3});
  const differences = page.getByTestId('differences').locator('li');
  await expect(differences.first()).toHaveText('cost 3553.630 ms vs 3481.542 ms (B −72.088 ms, −2.0 %)');
  await expect(differences).toContainText(['stages 1 vs 2', 'micro-batches 1 vs 16',
    'bubble 0.000 ms vs 2219.251 ms']);
  // Side by side at 1280 px: the same top, B to the right, pictures of one width.
  const [boxA, boxB] = [await a.boundingBox(), await b.boundingBox()];
  expect(Math.abs(boxA.y - boxB.y)).toBeLessThan(1);
  expect(boxB.x).toBeGreaterThan(boxA.x + boxA.width - 1);
  const widths = async (part) => part.locator('svg.chart-svg').evaluateAll((l) =>
    l.map((s) => s.getAttribute('width')));
  expect(await widths(a)).toEqual(await widths(b));
  // The same time scale: A's last box ends left of B's (1748.569 ms against 2502.907 ms).
  const right = async (part) => part.locator('[data-testid=timeline] rect.bwd').last().evaluate((r) =>
    Number(r.getAttribute('x')) + Number(r.getAttribute('width')));
  expect(await right(a)).toBeLessThan(await right(b));
  // Nothing compared again: one view.
  await page.getByTestId('detail-compare').selectOption('');
  await expect(b).toHaveCount(0);
  await expect(page.getByTestId('differences')).toBeHidden();
});

test('a phone: the two plans stacked, nothing wider than the screen', async ({page}) => {
  await page.setViewportSize({width: 390, height: 844});
  await openPage(page);
  await runPreset(page, 'three-type');
  await expectDone(page);
  await page.getByTestId('detail-compare').selectOption('pruned:1');
  const [boxA, boxB] = [await view(page, 'A').boundingBox(), await view(page, 'B').boundingBox()];
  expect(boxB.y).toBeGreaterThanOrEqual(boxA.y + boxA.height);
  expect(await page.evaluate(() => document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(390);
  for (const svg of await details(page).locator('svg.chart-svg').all()) {
    const box = await svg.boundingBox();
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.x).toBeGreaterThanOrEqual(0);
  }
  // Text no smaller than 11 px.
  const sizes = await details(page).locator('svg text').evaluateAll((l) => l.map((t) =>
    parseFloat(getComputedStyle(t).fontSize)));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
});

test('two workers: the merged plans keep their explanations', async ({page}) => {
  await openPage(page, '?workers=2');
  await runPreset(page, 'table1-row3');
  await expectDone(page);
  await expect(page.getByTestId('workers-used')).toHaveText('2 workers');
  await expect(view(page, 'A').locator('.error')).toHaveCount(0);
  expect(await pictures(view(page, 'A'))).toEqual({rows: 1, forward: 128, backward: 128, total: '1096.476 ms',
    memoryRows: 2});
  // The memory the search checked, grouped by thousands as the page's counts are (thousands of MB per stage).
  await expect(view(page, 'A')).toContainText(/search check: [\d.]+ % of \d{1,3}(,\d{3})+ MB/);
});

test('real profiles loaded from files: every plan of the top drawn', async ({page}) => {
  const dir = path.join(golden, 'real-opt350-a100-v100-g16');
  test.skip(!fs.existsSync(dir), `${dir} is absent`);
  await openPage(page);
  await loadCaseFolder(page, dir);
  await page.getByTestId('run').click();
  await expectDone(page, 60_000);
  const choices = await page.getByTestId('detail-plan').locator('option').evaluateAll((l) => l.map((o) => o.value));
  expect(choices.length).toBeGreaterThan(1);
  for (const value of choices) {
    const [strategy, rank] = value.split(':');
    await page.getByTestId('detail-plan').selectOption(value);
    // The table row of the plan (a pair of twins is one row): its cost, GPUs per stage and micro-batches.
    const tables = page.locator('#top-tables table');
    const index = strategy === 'metis' ? 0 : 1;
    const cells = await tables.nth(index).locator(`tbody tr[data-ranks~="${rank}"]`).locator('td').allTextContents();
    const stages = cells[3].split(',').length;
    const batches = Number(cells[5]);
    expect(await pictures(view(page, 'A')), value).toEqual({rows: stages, forward: stages * batches,
      backward: stages * batches, total: `${cells[1]} ms`, memoryRows: expect.any(Number)});
    const memoryRows = await view(page, 'A').locator('[data-testid=memory-bars] g[data-stage]').count();
    expect(memoryRows).toBeGreaterThanOrEqual(stages);
  }
});
