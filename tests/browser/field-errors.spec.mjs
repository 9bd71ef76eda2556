// A run the module refuses for a value the user typed: the error names the field by its label on the page (not
// the module's place in the spec, "synthetic spec: args: gbs"), keeps the module's reason, and marks the field
// until the next edit of it.
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, loadCaseFolder, openPage, test} from './fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = path.resolve(here, '..', '..', '..', 'shared', 'golden');

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
