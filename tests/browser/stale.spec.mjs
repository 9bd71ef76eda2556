// Results on screen belong to the case they were searched for: an edit, a preset change or a failed upload
// marks them stale (a banner, the results dimmed); the next run clears the mark.
import {expect, expectDone, openPage, test} from './fixtures.mjs';

async function runRow1(page) {
  await page.getByTestId('preset').selectOption('table1-row1');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('stale')).toBeHidden();
}

test('an edit of the form marks the results stale, a new run clears the mark', async ({page}) => {
  await openPage(page);
  await runRow1(page);
  await page.locator('#f-layers').fill('12');
  const stale = page.getByTestId('stale');
  await expect(stale).toBeVisible();
  await expect(stale).toContainText('stale: the case changed since this run');
  await expect(page.locator('#results')).toHaveClass(/stale/);
  // Back to the values searched: the results are of this case again.
  await page.locator('#f-layers').fill('10');
  await expect(stale).toBeHidden();
  await page.locator('#f-layers').fill('12');
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(stale).toBeHidden();
  await expect(page.locator('#results')).not.toHaveClass(/stale/);
});

test('a preset change marks the results stale; the worker count does not', async ({page}) => {
  await openPage(page);
  await runRow1(page);
  await page.getByTestId('workers').fill('2');
  await expect(page.getByTestId('stale')).toBeHidden();
  await page.getByTestId('preset').selectOption('table1-row2');
  await expect(page.getByTestId('stale')).toBeVisible();
});

test('a failed upload marks the results stale', async ({page}) => {
  await openPage(page);
  await runRow1(page);
  await page.locator('input[type=file]').setInputFiles(
      [{name: 'case.json', mimeType: 'application/json', buffer: Buffer.from('{"hostfile": ')}]);
  await expect(page.getByTestId('error')).toContainText('not valid JSON');
  await expect(page.getByTestId('stale')).toBeVisible();
  await expect(page.getByTestId('stale')).toContainText('a file load failed');
});
