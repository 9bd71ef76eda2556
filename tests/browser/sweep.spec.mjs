// The Sweep panel: a grid over one or two parameters of the form's case, run in the workers, drawn as a line
// chart or a heat map, exported as the CSV and JSON `hetplan sweep` writes; Cancel; a phone's width.
import fs from 'node:fs';

import {expect, openPage, test} from './fixtures.mjs';

async function sweep(page, {preset = 'table1-row1', strategy = 'both', axes}) {
  await page.getByTestId('preset').selectOption(preset);
  await page.getByTestId('strategy').selectOption(strategy);
  for (const [i, [path, values]] of axes.entries()) {
    await page.getByTestId(`sweep-param-${i + 1}`).selectOption(path);
    await page.getByTestId(`sweep-values-${i + 1}`).fill(values);
  }
  await page.getByTestId('sweep-run').click();
}

async function downloaded(page, testid) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return {name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8')};
}

test('one parameter: a line per strategy, and the CSV and JSON of the grid', async ({page}) => {
  await openPage(page, '?workers=2');
  await sweep(page, {axes: [['gbs', '64,128,256']]});
  await expect(page.getByTestId('sweep-progress')).toHaveText('point 3 of 3');
  await expect(page.getByTestId('state')).toHaveText('done');
  const chart = page.getByTestId('sweep-line');
  await expect(chart.locator('circle.sweep-point[data-strategy="metis"]')).toHaveCount(3);
  await expect(chart.locator('circle.sweep-point[data-strategy="pruned"]')).toHaveCount(3);
  await expect(page.getByTestId('sweep-legend')).toContainText('metis');
  const csv = await downloaded(page, 'sweep-csv');
  expect(csv.name).toBe('sweep.csv');
  const lines = csv.text.trimEnd().split('\n');
  expect(lines[0]).toBe('gbs,strategy,cost_ms,stages,dp_tp,gpus,steps,error');
  expect(lines).toHaveLength(1 + (3 * 2));
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(
      ['64,metis', '64,pruned', '128,metis', '128,pruned', '256,metis', '256,pruned']);
  const json = JSON.parse((await downloaded(page, 'sweep-json')).text);
  expect(json.axes).toEqual(['gbs']);
  expect(json.points).toHaveLength(3);
});

test('a point the planner refuses (GPU memory 0) is drawn without a plan, its tooltip saying why', async ({page}) => {
  await openPage(page, '?workers=1');
  await sweep(page, {axes: [['types.A100.memory', '0,40,80']]});
  await expect(page.getByTestId('state')).toHaveText('done');
  await expect(page.getByTestId('sweep-error')).toBeHidden();
  const chart = page.getByTestId('sweep-line');
  await expect(chart.locator('circle.sweep-point.no-plan')).toHaveCount(2);  // metis and pruned at memory 0
  await expect(chart.locator('circle.sweep-point:not(.no-plan)')).toHaveCount(4);
  await expect(chart.locator('circle.sweep-point.no-plan').first().locator('title')).toHaveText(
      'types.A100.memory 0, metis: no plan: synthetic spec: types[1].memory: expected a number > 0, got 0');
  await expect(page.getByTestId('sweep-legend')).toContainText('no plan (hover for why)');
  // The plans' points lie inside the plot, under its top tick (they were once drawn above the chart).
  const top = Number(await chart.locator('line.gridline').last().getAttribute('y1'));
  for (const cy of await chart.locator('circle.sweep-point:not(.no-plan)').evaluateAll(
      (dots) => dots.map((d) => Number(d.getAttribute('cy'))))) {
    expect(cy).toBeGreaterThanOrEqual(top);
  }
});

test('two parameters: a heat map of N x M cells, the points without a plan hatched', async ({page}) => {
  await openPage(page, '?workers=2');
  await sweep(page, {strategy: 'metis', axes: [['gbs', '64,128'], ['types.A100.nodes', '0..2']]});
  await expect(page.getByTestId('sweep-progress')).toHaveText('point 6 of 6');
  const map = page.getByTestId('sweep-heatmap');
  await expect(map.locator('rect.sweep-cell')).toHaveCount(6);
  // No A100 node: the V100s alone cannot hold the model.
  await expect(map.locator('rect.sweep-cell.no-plan')).toHaveCount(2);
  await expect(map.locator('rect.sweep-cell.no-plan').first().locator('title')).toContainText('no plan');
  await expect(map.locator('text.cell-label')).toHaveCount(4);
  await expect(map).toContainText('types.A100.nodes');
  const csv = (await downloaded(page, 'sweep-csv')).text.trimEnd().split('\n');
  expect(csv[0]).toBe('gbs,types.A100.nodes,strategy,cost_ms,stages,dp_tp,gpus,steps,error');
  expect(csv).toHaveLength(1 + 6);
});

test('Cancel stops a sweep; the next one runs', async ({page}) => {
  await openPage(page, '?workers=1');
  // Row 2 searches about 58,000 steps per point: forty points take far longer than the test waits.
  await sweep(page, {preset: 'table1-row2', strategy: 'metis', axes: [['gbs', '64..2560:64']]});
  await expect(page.getByTestId('sweep-progress')).toHaveText(/point \d+ of 40/);
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByTestId('sweep-cancel').click();
  await expect(page.getByTestId('state')).toHaveText('cancelled');
  await expect(page.getByTestId('sweep-progress')).toContainText('cancelled after');
  await expect(page.getByTestId('sweep-csv')).toBeDisabled();
  await expect(page.getByTestId('run')).toBeEnabled();
  await sweep(page, {preset: 'table1-row1', strategy: 'metis', axes: [['gbs', '64,128']]});
  await expect(page.getByTestId('sweep-progress')).toHaveText('point 2 of 2');
  await expect(page.getByTestId('sweep-line').locator('circle.sweep-point')).toHaveCount(2);
});

test('a bad value list: the module\'s reason in the page\'s words, its field marked, the last chart gone', async ({page}) => {
  await openPage(page);
  await sweep(page, {strategy: 'metis', axes: [['gbs', '64,128']]});
  await expect(page.getByTestId('sweep-line').locator('circle.sweep-point')).toHaveCount(2);
  await sweep(page, {strategy: 'metis', axes: [['gbs', '64,x']]});
  await expect(page.getByTestId('sweep-error')).toHaveText("global batch, values: 'x' is not a number");
  await expect(page.getByTestId('state')).toHaveText('error');
  await expect(page.getByTestId('sweep-values-1')).toHaveAttribute('aria-invalid', 'true');
  // The chart of 64,128 is not the answer to 64,x.
  await expect(page.locator('#sweep-chart svg')).toHaveCount(0);
  await expect(page.getByTestId('sweep-csv')).toBeDisabled();

  // The second parameter repeating the first: that choice is marked.
  await sweep(page, {strategy: 'metis', axes: [['gbs', '64'], ['gbs', '128']]});
  await expect(page.getByTestId('sweep-error')).toHaveText(
      'Second parameter (global batch): the first parameter varies it already; choose another or none');
  await expect(page.getByTestId('sweep-param-2')).toHaveAttribute('aria-invalid', 'true');
});

test('a phone: the sweep and its heat map fit 390 px', async ({page}) => {
  await page.setViewportSize({width: 390, height: 844});
  await openPage(page, '?workers=2');
  await sweep(page, {strategy: 'metis', axes: [['gbs', '64,128,256'], ['types.A100.nodes', '1..4']]});
  await expect(page.getByTestId('sweep-progress')).toHaveText('point 12 of 12');
  await expect(page.getByTestId('sweep-heatmap').locator('rect.sweep-cell')).toHaveCount(12);
  expect(await page.evaluate(() => document.scrollingElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('hetplan.js: sweep from a script, the same bytes on 1 and 3 workers, progress per point, cancel', async ({page}) => {
  await openPage(page);
  const out = await page.evaluate(async () => {
    const {createPlanner} = await import('./hetplan.js');
    const {PRESETS, specFromConfig} = await import('./presets.js');
    const spec = specFromConfig(PRESETS['table1-row1'].config);
    const vary = ['gbs=64,128', 'types.A100.nodes=0..2'];
    const planner = await createPlanner({workers: 1});
    const one = await planner.sweep(spec, vary, {strategy: 'metis,optimal'});
    await planner.setWorkers(3);
    const calls = [];
    const three = await planner.sweep(spec, vary, {strategy: 'metis,optimal'}, (...a) => calls.push(a));
    let badAxis = null;
    try {
      await planner.sweep(spec, ['types.H100.nodes=1']);
    } catch (e) {
      badAxis = e.kind;
    }
    const rowTwo = specFromConfig(PRESETS['table1-row2'].config);
    // Cancelled when its first point is done: nine points are still to run, whatever the machine's speed.
    const cancelled = await planner.sweep(rowTwo, ['gbs=64..640:64'], {strategy: 'metis'}, (i, n, done) => {
      if (done === 1) planner.cancel();
    }).then(() => 'finished', (e) => e.kind);
    planner.close();
    return {same: one.csv === three.csv && one.json === three.json, csvLines: three.csv.split('\n').length,
      calls, badAxis, cancelled};
  });
  expect(out.same).toBe(true);
  expect(out.csvLines).toBe(1 + (6 * 2) + 1);  // header, a row per point and strategy, the final newline
  expect(out.calls[0]).toEqual([-1, 6, 0]);
  expect(out.calls.slice(1).map((c) => c[2])).toEqual([1, 2, 3, 4, 5, 6]);
  expect(out.calls.slice(1).map((c) => c[0]).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  expect(out.badAxis).toBe('input');
  expect(out.cancelled).toBe('cancelled');
});

test('a fresh page sweeps the global batch with its default values at once', async ({page}) => {
  await openPage(page);
  await expect(page.getByTestId('sweep-param-1')).toHaveValue('gbs');
  await expect(page.getByTestId('sweep-param-2')).toHaveValue('');
  await page.getByTestId('sweep-run').click();
  await expect(page.getByTestId('state')).toHaveText('done');
  await expect(page.getByTestId('sweep-error')).toBeHidden();
  await expect(page.getByTestId('sweep-progress')).toHaveText(/^point (\d+) of \1$/);
});

test('choosing parameters while the form is wrong gives each its default values, and the sweep runs once it is right',
    async ({page}) => {
      await openPage(page, '?workers=1');
      await page.getByTestId('preset').selectOption('table1-row1');
      await page.locator('#f-gbs').fill('');
      await page.getByTestId('sweep-param-1').selectOption('layers');
      await page.getByTestId('sweep-param-2').selectOption('gbs');
      await expect(page.getByTestId('sweep-values-1')).toHaveValue('8,12,16');
      await expect(page.getByTestId('sweep-values-2')).toHaveValue('64,128,256');
      await expect(page.getByTestId('sweep-values-2')).toBeEnabled();
      await page.locator('#f-gbs').fill('128');
      await page.getByTestId('sweep-values-1').fill('8,10');
      await page.getByTestId('sweep-values-2').fill('64');
      await page.getByTestId('sweep-run').click();
      await expect(page.getByTestId('sweep-progress')).toHaveText('point 2 of 2');
      await expect(page.getByTestId('sweep-error')).toBeHidden();
    });
