// The drawing of a plan: a plan of many stages fits the desktop page with every label inside its box, and on a
// phone the text keeps a readable size (the drawing scrolls instead of shrinking).
import {expect, expectDone, openPage, test} from './fixtures.mjs';

// Draws a made-up plan of `stages` stages of 4 GPUs each into the page's drawing, and measures it: whether the
// figure holds it without scrolling, the smallest text's on-screen size, and labels outside their stage box.
function drawAndMeasure(page, stages) {
  return page.evaluate(async (n) => {
    const {drawPlan} = await import('./plan-view.js');
    const plan = {device_groups: Array(n).fill(4), strategies: Array(n).fill([1, 4]), node_sequence: ['A100', 'V100'],
      layer_partition: Array.from({length: n + 1}, (_, i) => i * 10), batches: 8};
    drawPlan(document.getElementById('plan-drawing'), plan, new Map([['A100', 2 * n], ['V100', 2 * n]]));
    const figure = document.querySelector('figure.plan');
    const svg = figure.querySelector('svg');
    const boxes = [...svg.querySelectorAll('rect.stage')].map((r) => r.getBoundingClientRect());
    const spills = [];
    let smallest = Infinity;
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      smallest = Math.min(smallest, b.height);
      const box = boxes.find((r) => b.top >= r.top - 1 && b.bottom <= r.bottom + 1 && b.left < r.right && b.right > r.left);
      if (box && (b.left < box.left - 0.5 || b.right > box.right + 0.5)) spills.push(t.textContent);
    }
    return {fits: figure.scrollWidth <= figure.clientWidth, smallest, spills};
  }, stages);
}

test('a plan of 8 and of 10 stages fits at 1400 px, its labels inside their boxes', async ({page}) => {
  await openPage(page);
  await page.getByTestId('run').click();
  await expectDone(page);
  for (const stages of [8, 10]) {
    const {fits, spills} = await drawAndMeasure(page, stages);
    expect(fits, `${stages} stages: the drawing scrolls`).toBe(true);
    expect(spills, `${stages} stages: labels out of their box`).toEqual([]);
  }
});

test.describe('on a phone', () => {
  test.use({viewport: {width: 390, height: 844}});
  test('the drawing keeps its text readable', async ({page}) => {
    await openPage(page);
    await page.getByTestId('run').click();
    await expectDone(page);
    for (const stages of [1, 4, 10]) {
      const {smallest, spills} = await drawAndMeasure(page, stages);
      expect(smallest, `${stages} stages: text too small`).toBeGreaterThanOrEqual(11);
      expect(spills, `${stages} stages: labels out of their box`).toEqual([]);
    }
  });
});
