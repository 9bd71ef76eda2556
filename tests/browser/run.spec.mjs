// Runs from the form: the published counts, live counters, Cancel.
import {countOf, expect, expectDone, fillTooLargeCase, openPage, runPreset, startLongRun, test, TOO_LARGE_PLANS,
  tooLargeQuestion}
    from './fixtures.mjs';

test('table 1 row 1, both strategies: 612 and 562 steps', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'table1-row1');
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  await expect(page.getByTestId('steps-pruned')).toHaveText('562');
  for (const id of ['best-cost-metis', 'best-cost-pruned']) {
    const text = await page.getByTestId(id).textContent();
    expect(text).toMatch(/^\d+(\.\d+)?$/);
    expect(Number(text)).toBeGreaterThan(0);
  }
  // The results: comparison, a drawing of the best plan, one top-K table per strategy.
  await expect(page.locator('#comparison table')).toContainText('8.2 % fewer');
  // Sub-millisecond searches timed once: no speed-up (timer noise), and the reason.
  await expect(page.locator('#comparison tr').filter({hasText: 'Wall time'})).toContainText(
      'no speed-up shown: a search under 10 ms timed once is timer noise; the steps are exact');
  await expect(page.locator('#plan-drawing svg rect.stage')).toHaveCount(1);
  await expect(page.locator('#top-tables table')).toHaveCount(2);
  // Top 5: plans 4 and 5 are one plan met twice by the reference's enumeration, shown once.
  const metis = page.locator('#top-tables table').first().locator('tbody tr');
  await expect(metis).toHaveCount(4);
  await expect(metis.nth(3).locator('td').first()).toHaveText('4=5');
  await expect(page.getByTestId('plan-notes-metis')).toContainText('4=5: the same plan, found twice');
  // Plans with tensor parallelism across nodes and types: a badge, and the reason under the table.
  await expect(metis.first().getByTestId('launch-badge')).toBeVisible();
  await expect(page.getByTestId('plan-notes-metis')).toContainText(
      '1, 2, 3 ⚠ no framework launches it as it is: stage 1: tp 32 spans 8 nodes');
  // A top K of 5: the command that prints the plans (table1 prints counts and the best plan only).
  await expect(page.locator('#cli-command')).toHaveText(
      'hetplan plan --case-json case.json --strategy both --cost-model corrected --top 5');
});

test('table 1 row 2: the step counter shows increasing values while it runs', async ({page}) => {
  await openPage(page);
  // Record every value the counter shows, and the state at that moment, from inside the page.
  await page.evaluate(() => {
    const seen = [];
    window.__seen = seen;
    const steps = document.querySelector('[data-testid="steps-metis"]');
    const state = document.querySelector('[data-testid="state"]');
    new MutationObserver(() => seen.push({text: steps.textContent, state: state.textContent, t: performance.now()}))
        .observe(steps, {childList: true, characterData: true, subtree: true});
  });
  await runPreset(page, 'table1-row2');
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('58,078');
  await expect(page.getByTestId('steps-pruned')).toHaveText('41,208');
  const seen = await page.evaluate(() => window.__seen);
  const live = seen.filter((s) => s.state === 'running').map((s) => countOf(s.text));
  const distinct = live.filter((v, i) => i === 0 || v !== live[i - 1]);
  const increasing = distinct.filter((v) => v > 0);
  expect(increasing.length, `values shown while running: ${distinct.join(' ')}`).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < increasing.length; i++) expect(increasing[i]).toBeGreaterThan(increasing[i - 1]);
  // At least five updates a second while metis runs (the page asks for twenty).
  const running = seen.filter((s) => s.state === 'running' && countOf(s.text) > 0 && countOf(s.text) < 58078);
  if (running.length >= 2) {
    const seconds = (running[running.length - 1].t - running[0].t) / 1000;
    if (seconds > 0.5) expect((running.length - 1) / seconds).toBeGreaterThanOrEqual(5);
  }
});

test('Cancel stops a long run within a second, and the next run works', async ({page}) => {
  await openPage(page);
  await startLongRun(page);
  await page.getByTestId('cancel').click();
  // Within a second of the click (not of the test's own clock, which a loaded machine stretches).
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect(page.getByTestId('cancel')).toBeDisabled();

  await runPreset(page, 'table1-row1', 'metis');
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  // One column per strategy run: no pruned column.
  await expect(page.getByTestId('steps-pruned')).toHaveCount(0);
});

test('Cancel keeps the plans found so far, marked cancelled; the next run clears the mark', async ({page}) => {
  await openPage(page);
  await startLongRun(page);
  // A plan has a cost: the search has a best plan to keep.
  await expect(page.getByTestId('best-cost-metis')).toHaveText(/^\d/, {timeout: 20_000});
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
  const note = page.getByTestId('cancelled-note');
  await expect(note).toBeVisible();
  await expect(note).toHaveText(/^Cancelled: these are the best plans found before Cancel \(metis stopped, its top as of step [\d,]+, its last change\)\. A search that finishes may find cheaper ones\.$/);
  // The plans found: the metis table with its best plan, drawn, with its details.
  await expect(page.locator('#top-tables table')).toHaveCount(1);
  await expect(page.locator('#top-tables table tbody tr').first()).toBeVisible();
  await expect(page.locator('#plan-drawing svg rect.stage').first()).toBeVisible();
  await expect(page.getByTestId('plan-details')).toBeVisible();

  await runPreset(page, 'table1-row1', 'metis');
  await expectDone(page);
  await expect(note).toBeHidden();
});

test('a case estimated at more than a day is refused without asking', async ({page}) => {
  await openPage(page, '?workers=1');
  await fillTooLargeCase(page);
  await page.locator('#f-layers').fill('64');
  for (const row of [1, 2]) await page.locator(`#types-body tr:nth-child(${row}) input[data-field="nodes"]`).fill('64');
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs += 1;
    dialog.dismiss();
  });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveText('error');
  await expect(page.getByTestId('error')).toContainText('hetplan refuses searches estimated to take more than a day');
  expect(dialogs).toBe(0);
});

test('a case too large to search asks first: refused, or confirmed and cancellable', async ({page}) => {
  await openPage(page, '?workers=1');
  await fillTooLargeCase(page);

  // Declined: an error that says how large the case is; the page keeps working. The question names no
  // option the page lacks, and estimates at this build's rate.
  let question = null;
  page.once('dialog', (dialog) => {
    question = dialog.message();
    dialog.dismiss();
  });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveText('error');
  expect(question).toBe(tooLargeQuestion(1));
  await expect(page.getByTestId('error')).toContainText(`this case has ${TOO_LARGE_PLANS.toLocaleString('en-US')} inter-stage plans`);

  // Confirmed: it runs, and Cancel stops it.
  await startLongRun(page);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
});
