// The Strategy field's several strategies: one counter column each, the plans ruled out by bound, the gap of
// each strategy's best plan to the optimum, and the CLI command that repeats the choice.
import {expect, expectDone, openPage, runPreset, test} from './fixtures.mjs';

test('table 1 row 1, bounded and optimal: their counters and no gap', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'table1-row1', 'bounded,optimal');
  await expectDone(page);
  await expect(page.locator('#counters thead th ~ th')).toHaveText(['bounded', 'optimal']);
  await expect(page.getByTestId('steps-bounded')).toHaveText('59');
  await expect(page.getByTestId('bound-bounded')).toHaveText('157');
  await expect(page.getByTestId('steps-optimal')).toHaveText('46');
  await expect(page.getByTestId('bound-optimal')).toHaveText('171');
  await expect(page.getByTestId('steps-metis')).toHaveCount(0);
  for (const id of ['best-cost-bounded', 'best-cost-optimal']) {
    await expect(page.getByTestId(id)).toHaveText('1793.551');
  }
  // Bounded answers metis's best plan, which here is the optimum.
  await expect(page.getByTestId('gaps')).toBeVisible();
  await expect(page.getByTestId('gap-bounded')).toHaveText(['bounded', '1793.551', '0.000', '0.00 %'].join(''));
  await expect(page.locator('#top-tables h4').first()).toContainText(
      'bounded: 59 steps, 157 inter-stage plans ruled out by bound, 19 plans costed');
  await expect(page.locator('#top-tables h4').first()).toContainText('0.000 ms (0.00 %) above the optimum');
  await expect(page.locator('#comparison-section')).toBeHidden();
  await expect(page.locator('#cli-command')).toHaveText(
      'hetplan plan --case-json case.json --strategy bounded,optimal --cost-model corrected --top 5');
});

test('three types, all five strategies: metis 72 ms above the optimum, the others on it', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'three-type', 'metis,pruned,bounded,bounded-pruned,optimal');
  await expectDone(page);
  await expect(page.locator('#counters thead th ~ th')).toHaveText(
      ['metis', 'pruned', 'bounded', 'bounded-pruned', 'optimal']);
  await expect(page.getByTestId('steps-metis')).toHaveText('4,163');
  await expect(page.getByTestId('steps-bounded')).toHaveText('423');
  await expect(page.getByTestId('bound-metis')).toHaveText('–');
  await expect(page.getByTestId('bound-bounded-pruned')).toHaveText('1,221');
  await expect(page.getByTestId('gaps')).toContainText('The optimum: 3481.542 ms');
  await expect(page.getByTestId('gap-metis')).toHaveText(['metis', '3553.630', '72.088', '2.07 %'].join(''));
  await expect(page.getByTestId('gap-bounded')).toHaveText(['bounded', '3553.630', '72.088', '2.07 %'].join(''));
  await expect(page.getByTestId('gap-pruned')).toHaveText(['pruned', '3481.542', '0.000', '0.00 %'].join(''));
  await expect(page.locator('#comparison-section')).toBeVisible();
});

test('two workers: the bounded strategies give the same counters as one', async ({page}) => {
  await openPage(page, '?workers=2');
  await runPreset(page, 'table1-row1', 'metis,bounded,optimal');
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  await expect(page.getByTestId('steps-bounded')).toHaveText('59');
  await expect(page.getByTestId('bound-bounded')).toHaveText('157');
  await expect(page.getByTestId('gap-metis')).toContainText('0.00 %');
});

test('a share link keeps the strategies', async ({page}) => {
  await openPage(page);
  await page.getByTestId('strategy').selectOption('metis,bounded,optimal');
  await page.locator('#share').click();
  await page.reload();
  await expect(page.getByTestId('strategy')).toHaveValue('metis,bounded,optimal');
  await expect(page.locator('#cli-command')).toContainText('--strategy metis,bounded,optimal');
});
