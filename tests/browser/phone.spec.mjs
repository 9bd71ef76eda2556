// A phone (390 x 844): every view fits the screen's width, wide tables scroll inside their box and say so,
// and Run brings the results into view.
import {expect, expectDone, openPage, test} from './fixtures.mjs';

test.use({viewport: {width: 390, height: 844}});

const PRESETS = ['table1-row1', 'table1-row2', 'table1-row3', 'table1-row4', 'three-type'];

// The elements wider than the screen, for a readable failure.
const overflowing = (page) => page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 &&
        !e.closest('.scroll, #comparison, figure.plan, pre.cli, .detail-views'))
    .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className?.baseVal ?? e.className}`).slice(0, 8));

for (const preset of PRESETS) {
  test(`${preset}: the page fits 390 px after a run`, async ({page}) => {
    await openPage(page);
    await page.getByTestId('preset').selectOption(preset);
    await page.getByTestId('run').click();
    await expectDone(page, 60_000);
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    expect(width, `wider than the screen: ${await overflowing(page)}`).toBeLessThanOrEqual(390);
  });
}

test('a table wider than its box says it scrolls', async ({page}) => {
  await openPage(page);
  await page.getByTestId('run').click();
  await expectDone(page);
  const box = page.locator('#top-tables .scroll').first();
  await expect(box).toHaveClass(/overflowing/);
  await expect(box.getByTestId('scroll-hint')).toBeVisible();
});

test('Run brings the state, the counters and the results into view on a narrow screen', async ({page}) => {
  await openPage(page);
  await page.getByTestId('run').click();
  await expectDone(page);
  await expect(page.getByTestId('state')).toBeInViewport();
  await expect(page.locator('#counters')).toBeInViewport({ratio: 1});
  await expect(page.locator('#results')).toBeInViewport();
});
