// What README.md says of the page in course material, checked as written: the hetplan.js example runs and
// prints what its comments say, and ?embed=1 with a share link opens compact on that case.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {expect, expectDone, openPage, test} from './fixtures.mjs';

const readme = fs.readFileSync(
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');
const section = readme.split(/^## In course material: /m)[1]?.split(/^## /m)[0] ?? '';

test('the README example of hetplan.js runs as written', async ({page}) => {
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'a ```js block in the README section').toBeTruthy();
  // The static import as a dynamic one, and console.log collected, so that the page can run it as a function.
  const body = code.replace(/^import \{(\w+)\} from '(\.\/hetplan\.js)';$/m, 'const {$1} = await import(\'$2\');');
  expect(body).not.toMatch(/^import /m);
  await openPage(page);
  const logs = await page.evaluate(`(async () => {
    const logs = [];
    const console = {log: (...args) => logs.push(args.join(' '))};
    ${body}
    return logs;
  })()`);
  expect(logs).toContain('metis: 612 steps');
  expect(logs).toContain('pruned: 562 steps');
  expect(logs).toContain('612 562');
  expect(Number(logs[3])).toBeGreaterThan(0);
  const csv = logs[4].trim().split('\n');
  expect(csv[0]).toMatch(/^gbs,strategy,cost_ms,/);
  expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(['64', '128', '256']);
});

test('?embed=1 with a share link: compact, on the shared case, and it runs', async ({page}) => {
  expect(section).toContain('?embed=1&workers=2#config=');
  await openPage(page);
  await page.getByTestId('preset').selectOption('three-type');
  await page.locator('#share').click();
  const hash = new URL(page.url()).hash;
  expect(hash).toMatch(/^#config=/);
  await openPage(page, `?embed=1&workers=2${hash}`);
  await expect(page.getByTestId('preset')).toHaveValue('three-type');
  await expect(page.getByTestId('workers')).toHaveValue('2');
  for (const hidden of ['.tagline', '.files', '.export', '.reproduce', '.top-section']) {
    await expect(page.locator(hidden)).toBeHidden();
  }
  await expect(page.getByTestId('glossary')).toBeVisible();
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.locator('#plan-drawing svg')).toBeVisible();
});
