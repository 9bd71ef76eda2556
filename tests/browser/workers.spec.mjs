// Several Web Workers: one search split into shards gives the page the plans and the final counters of one
// worker; Cancel and errors stop every worker; the worker count follows ?workers=, share links and the form.
import fs from 'node:fs';

import {expect, expectDone, fillTooLargeCase, openPage, runPreset, startLongRun, test, TOO_LARGE_PLANS, tooLargeQuestion} from
    './fixtures.mjs';

const withoutElapsed = (text) => text.replace(/"elapsed_ms":-?[0-9.eE+-]+,?/g, '');

// What a finished run shows (apart from times): the counters, the top plans, the exported result JSON.
async function shownResults(page) {
  const text = async (id) => page.locator(`#${id}`).textContent();
  const counters = {};
  for (const s of ['metis', 'pruned']) {
    for (const c of ['steps', 'inter', 'costed', 'best-cost']) counters[`${c}-${s}`] = await text(`${c}-${s}`);
  }
  const rows = await page.locator('#top-tables tbody tr').allTextContents();
  const caption = await text('plan-caption');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-result').click()]);
  const result = withoutElapsed(fs.readFileSync(await download.path(), 'utf8'));
  return {counters, rows, caption, result};
}

async function runWith(page, workers, preset) {
  await openPage(page, `?workers=${workers}`);
  await expect(page.getByTestId('workers')).toHaveValue(String(workers));
  await runPreset(page, preset);
  await expectDone(page);
  await expect(page.getByTestId('workers-used')).toHaveText(workers === 1 ? '1 worker' : `${workers} workers`);
  return shownResults(page);
}

for (const preset of ['table1-row1', 'table1-row3', 'three-type']) {
  test(`${preset}: 2 and 3 workers show what 1 worker shows`, async ({page}) => {
    const one = await runWith(page, 1, preset);
    expect(one.rows.length).toBeGreaterThan(0);
    for (const workers of [2, 3]) {
      const many = await runWith(page, workers, preset);
      expect(many.counters).toEqual(one.counters);
      expect(many.rows).toEqual(one.rows);
      expect(many.caption).toEqual(one.caption);
      expect(many.result).toEqual(one.result);
    }
  });
}

test('the default is one worker per core, at most 8; the form changes it', async ({page}) => {
  await openPage(page);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(page.getByTestId('workers')).toHaveValue(String(Math.min(cores, 8)));
  await page.getByTestId('workers').fill('3');
  await runPreset(page, 'table1-row1', 'metis');
  await expectDone(page);
  await expect(page.getByTestId('workers-used')).toHaveText('3 workers');
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  expect(page.workers().length).toBe(3);
  await page.getByTestId('workers').fill('0');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('error')).toHaveText('Workers: expected 1 to 16');
});

test('a share link keeps the worker count', async ({page}) => {
  await openPage(page, '?workers=1');
  await page.getByTestId('workers').fill('3');
  await page.locator('#share').click();
  const hash = new URL(page.url()).hash;
  await openPage(page, hash);
  await expect(page.getByTestId('workers')).toHaveValue('3');
});

test('Cancel with 2 workers stops both within a second, and the next run works', async ({page}) => {
  await openPage(page, '?workers=2');
  const searching = page.workers();
  expect(searching.length).toBe(2);
  const closed = searching.map((w) => new Promise((resolve) => w.once('close', resolve)));
  await startLongRun(page);
  await page.getByTestId('cancel').click();
  // Within a second of the click (not of the test's own clock, which a loaded machine stretches).
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
  // Both searching workers were terminated (the browser reports it a little later than it happens).
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('not closed'), 10_000);
  });
  expect(await Promise.race([Promise.all(closed).then(() => 'closed'), late])).toBe('closed');
  clearTimeout(timer);

  await runPreset(page, 'table1-row1');
  await expectDone(page);
  await expect(page.getByTestId('steps-metis')).toHaveText('612');
  await expect(page.getByTestId('steps-pruned')).toHaveText('562');
});

test('Cancel with 2 workers keeps the plans both had found', async ({page}) => {
  await openPage(page, '?workers=2');
  await startLongRun(page);
  await expect(page.getByTestId('best-cost-metis')).toHaveText(/^\d/, {timeout: 20_000});
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
  await expect(page.getByTestId('cancelled-note')).toContainText('metis stopped, its top as of step');
  await expect(page.locator('#top-tables table tbody tr').first()).toBeVisible();
});

test('Cancel while new workers still load their module stops the run', async ({page}) => {
  await openPage(page, '?workers=1');
  await page.getByTestId('preset').selectOption('table1-row4');
  await page.getByTestId('workers').fill('4');
  await page.getByTestId('run').click();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
  await runPreset(page, 'table1-row1');
  await expectDone(page);
  await expect(page.getByTestId('workers-used')).toHaveText('4 workers');
  await expect(page.getByTestId('steps-pruned')).toHaveText('562');
});

test('a case too large with 2 workers: one error, then confirmed and cancellable', async ({page}) => {
  await openPage(page, '?workers=2');
  await fillTooLargeCase(page);
  let dialogs = 0;
  let question = null;
  page.once('dialog', (dialog) => {
    dialogs += 1;
    question = dialog.message();
    dialog.dismiss();
  });
  await page.getByTestId('run').click();
  await expect(page.getByTestId('state')).toHaveText('error');
  await expect(page.getByTestId('error')).toHaveText(new RegExp(`^this case has ${TOO_LARGE_PLANS.toLocaleString('en-US')} inter-stage plans`));
  expect(dialogs).toBe(1);
  expect(question).toBe(tooLargeQuestion(2));

  await startLongRun(page);
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('state')).toHaveText('cancelled', {timeout: 1000});
});

test('hetplan.js with 2 workers: the same JSON text as 1 worker, summed progress, trials alike', async ({page}) => {
  await openPage(page, '?workers=1');
  const out = await page.evaluate(async () => {
    const {createPlanner} = await import('./hetplan.js');
    const {PRESETS, specFromConfig} = await import('./presets.js');
    const spec = specFromConfig(PRESETS['table1-row3'].config);
    const options = {strategy: 'both', top: 5};
    const one = await createPlanner();
    const two = await createPlanner({workers: 2});
    const events = [];
    const texts = [await one.planJson(spec, options), await two.planJson(spec, options, (e) => events.push(e)),
      await two.planJson(spec, {...options, trials: 3})];
    one.close();
    two.close();
    return {texts, workers: two.workers, finals: events.filter((e) => e.final)};
  });
  const [one, two, repeated] = out.texts.map((t) => t.replace(/"elapsed_ms":-?[0-9.eE+-]+,?/g, ''));
  expect(two).toBe(one);
  expect(repeated).toBe(one);
  expect(out.workers).toBe(2);
  const r = JSON.parse(out.texts[0]);
  expect(out.finals.map((e) => [e.strategy, e.steps, e.inter_done, e.costed, e.best_cost])).toEqual(
      ['metis', 'pruned'].map((s) => [s, r[s].count, r[s].inter_plans, r[s].costed_plans, r[s].top[0].cost]));
});
