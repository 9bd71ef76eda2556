// A run the module refuses for a value the user typed: the error names the field by its label on the page (not
// the module's place in the spec, "synthetic spec: args: gbs"), keeps the module's reason, and marks the field
// until the next edit of it.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, fillOpt350Case, loadCaseFolder, openPage, test} from './fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = path.resolve(here, '..', '..', '..', 'shared', 'golden');
const opt350 = path.resolve(here, '..', '..', '..', 'shared', 'real-profiles', 'OPT-350');

const RED = 'rgb(179, 38, 30)';  // --bad in styles.css

async function runExpectingError(page) {
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveText('error');
}

test('a global batch of 0: "Global batch: ..." and the field outlined until it is edited', async ({page}) => {
  await openPage(page);
  await page.locator('#f-gbs').fill('0');
  await runExpectingError(page);
  await expect(page.getByTestId('error')).toHaveText('Global batch: expected a whole number from 1 to 16777216, got 0');
  const gbs = page.locator('#f-gbs');
  await expect(gbs).toHaveAttribute('aria-invalid', 'true');
  await expect(gbs).toHaveCSS('outline-color', RED);
  // Only that field.
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(1);
  await gbs.fill('128');
  await expect(gbs).not.toHaveAttribute('aria-invalid');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('error')).toBeHidden();
});

test('every kind of field: its label, or the GPU type row and column', async ({page}) => {
  await openPage(page);
  const cases = [
    ['#f-layers', '1', 'Layers: expected a whole number from 2 to 4096, got 1'],
    ['#f-variance', '-1', 'Scale variance: expected a number >= 0, got -1'],
    ['#f-max-tp', '0', 'Max TP: expected a whole number from 1 to 1048576, got 0'],
    ['#types-body tr:nth-child(2) input[data-field="nodes"]', '-1',
      'GPU type 2 (A100), Nodes: expected a whole number from 0 to 4096, got -1'],
  ];
  for (const [selector, value, message] of cases) {
    await page.getByTestId('preset').selectOption('table1-row1');
    await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
    await page.locator(selector).fill(value);
    await runExpectingError(page);
    await expect(page.getByTestId('error')).toHaveText(message);
    await expect(page.locator(selector)).toHaveAttribute('aria-invalid', 'true');
  }
});

test("the form's own checks mark their field too", async ({page}) => {
  await openPage(page);
  await page.locator('#f-gbs').fill('');
  await runExpectingError(page);
  await expect(page.getByTestId('error')).toHaveText('Global batch: expected a whole number');
  await expect(page.locator('#f-gbs')).toHaveAttribute('aria-invalid', 'true');
  await page.locator('#f-gbs').fill('128');
  await page.locator('#types-body tr:nth-child(1) input[data-field="memory"]').fill('');
  await runExpectingError(page);
  await expect(page.getByTestId('error')).toHaveText('GPU type 1 (V100), Memory GB: expected a number');
  await expect(page.locator('#types-body tr:nth-child(1) input[data-field="memory"]'))
      .toHaveAttribute('aria-invalid', 'true');
});

test('on a phone a marked cell past the GPU table\'s scroll edge is scrolled into view', async ({page}) => {
  await page.setViewportSize({width: 390, height: 844});
  await openPage(page);
  const cell = page.locator('#types-body tr:nth-child(2) input[data-field="gpus_per_node"]');
  await cell.fill('65');
  const box = page.locator('#cluster-fields .scroll');
  await box.evaluate((b) => {
    b.scrollLeft = 0;
  });
  const [cellBefore, boxBefore] = [await cell.boundingBox(), await box.boundingBox()];
  expect(cellBefore.x + cellBefore.width).toBeGreaterThan(boxBefore.x + boxBefore.width);  // past the edge
  await runExpectingError(page);
  await expect(page.getByTestId('error')).toHaveText(
      'GPU type 2 (A100), GPUs/node: expected a whole number from 1 to 64, got 65');
  await expect(cell).toHaveAttribute('aria-invalid', 'true');
  const [cellAfter, boxAfter] = [await cell.boundingBox(), await box.boundingBox()];
  expect(cellAfter.x + cellAfter.width).toBeLessThanOrEqual(boxAfter.x + boxAfter.width);
  expect(cellAfter.x).toBeGreaterThanOrEqual(boxAfter.x);
});

test('loaded files searched with the form\'s bounds: the bound is named and marked', async ({page}) => {
  await openPage(page);
  await loadCaseFolder(page, path.join(golden, 'table1-row1'));
  await page.locator('#f-permute').fill('0');
  await runExpectingError(page);
  await expect(page.getByTestId('error')).toHaveText(
      'Permute length: expected a whole number from 1 to 1048576, got 0');
  await expect(page.locator('#f-permute')).toHaveAttribute('aria-invalid', 'true');
});

test('a field in the closed "Model dimensions" is shown with its mark', async ({page}) => {
  await openPage(page);
  const summary = page.getByText('Model dimensions');
  await summary.click();
  await page.locator('#f-vocab').fill('0');
  await summary.click();  // closed again before Run
  await expect(page.locator('#f-vocab')).toBeHidden();
  await runExpectingError(page);
  await expect(page.getByTestId('error')).toHaveText('Vocabulary: expected a whole number from 1 to 16777216, got 0');
  await expect(page.locator('#f-vocab')).toBeVisible();
  await expect(page.locator('#f-vocab')).toHaveAttribute('aria-invalid', 'true');
});

// Measured profiles without a hostfile and clusterfile: the page writes those from its GPU table, and a value
// refused there, by the page or by the module reading what the page wrote, is a cell of the table like the
// synthetic form's. OPT-350's rows: A100L, A100, GH200, RTX2080, RTX3090, TITANRTX, V100.
test('the GPU table of measured profiles: a refused cell is named by row and column, and outlined',
    async ({page}) => {
      test.skip(!fs.existsSync(opt350), `${opt350} is absent`);
      await openPage(page);
      await page.locator('input[type=file]').setInputFiles(fs.readdirSync(opt350).map((n) => path.join(opt350, n)));
      await expect(page.getByTestId('cluster-from-form')).toBeVisible();
      const error = page.getByTestId('error');

      // No nodes in any row: the Nodes column, every cell of it.
      await runExpectingError(page);
      await expect(error).toHaveText('GPU types, Nodes: no nodes (set the nodes of at least one GPU type)');
      await expect(page.locator('#types-body input[data-field="nodes"][aria-invalid="true"]')).toHaveCount(7);
      await expect(page.locator('[aria-invalid="true"]')).toHaveCount(7);

      await fillOpt350Case(page);
      const cases = [
        // Refused by the module in the clusterfile and the hostfile the page wrote (V100's hosts are lines 3-4).
        ['A100', 'memory', '0', 'GPU type 2 (A100), Memory GB: expected a number > 0, got 0'],
        ['V100', 'intra_bandwidth', '0', 'GPU type 7 (V100), Intra GB/s: expected a number > 0, got 0'],
        ['A100', 'inter_bandwidth', '-1', 'GPU type 2 (A100), Inter GB/s: expected a number > 0, got -1'],
        ['V100', 'gpus_per_node', '0', 'GPU type 7 (V100), GPUs/node: expected a whole number from 1 to 64, got 0'],
        // Refused by the page before it writes them.
        ['A100', 'nodes', '1.5', 'GPU type 2 (A100), Nodes: expected a whole number from 0 to 4096, got 1.5'],
        ['V100', 'memory', '', 'GPU type 7 (V100), Memory GB: needed for its 2 node(s)'],
      ];
      for (const [type, field, value, message] of cases) {
        const cell = page.locator(`#types-body tr[data-type="${type}"] input[data-field="${field}"]`);
        const valid = await cell.inputValue();
        await cell.fill(value);
        await runExpectingError(page);
        await expect(error).toHaveText(message);
        await expect(cell).toHaveAttribute('aria-invalid', 'true');
        await expect(cell).toHaveAttribute('aria-describedby', 'error');
        await expect(cell).toHaveCSS('outline-color', RED);
        await expect(page.locator('[aria-invalid="true"]')).toHaveCount(1);
        await cell.fill(valid);
        await expect(cell).not.toHaveAttribute('aria-invalid');
      }
      await page.getByTestId('run').click();
      await expectDone(page);

      // A sweep of the same case: one error naming the cell, not the same refusal at every point.
      const memory = page.locator('#types-body tr[data-type="A100"] input[data-field="memory"]');
      await memory.fill('0');
      await page.getByTestId('sweep-values-1').fill('32,64');
      await page.getByTestId('sweep-run').click();
      await expect(page.getByTestId('state')).toHaveText('error');
      await expect(page.getByTestId('sweep-error')).toHaveText('GPU type 2 (A100), Memory GB: expected a number > 0, got 0');
      await expect(memory).toHaveAttribute('aria-invalid', 'true');
      await expect(memory).toHaveAttribute('aria-describedby', 'sweep-error');
    });
