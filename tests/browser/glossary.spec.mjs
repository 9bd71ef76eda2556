// The glossary: every field of the form and the counters' names lead to an entry, which shows highlighted, on a
// desktop and on a phone; a share link in the URL does not undo the user's edits on the way back from it.
import {expect, expectDone, openPage, test} from './fixtures.mjs';

const HIGHLIGHT = 'rgb(255, 244, 214)';  // .glossary dl > div:target in styles.css

// The "?" of a field, found from the field's label as a user sees it.
const helpOf = (page, label) => page.getByRole('link', {name: `${label}: what it means`});

async function expectShown(page, slug) {
  const entry = page.locator(`#glossary-${slug}`);
  await expect(page).toHaveURL(new RegExp(`#glossary-${slug}$`));
  await expect(entry).toBeInViewport();
  await expect(entry).toHaveCSS('background-color', HIGHLIGHT);
  // Only the entry followed.
  await expect(page.locator('.glossary dl > div:target')).toHaveCount(1);
  return entry;
}

test('every field of the form has a "?" that leads to its entry', async ({page}) => {
  await openPage(page);
  const links = page.locator('fieldset a.gloss');
  expect(await links.count()).toBeGreaterThanOrEqual(11);
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    await expect(page.locator(href), href).toHaveCount(1);
    await expect(page.locator(`${href} dd`).first(), href).not.toBeEmpty();
  }
  await helpOf(page, 'Scale variance').click();
  const entry = await expectShown(page, 'scale-variance');
  await expect(entry).toContainText('max(N/S, S/N)');
  await helpOf(page, 'Permute length').click();
  await expectShown(page, 'permute-length');
  await expect(page.locator('#glossary-scale-variance')).not.toHaveCSS('background-color', HIGHLIGHT);
});

test('the counters link their names to the glossary, also in the columns a run makes', async ({page}) => {
  await openPage(page);
  await page.locator('#counters').getByRole('link', {name: 'Steps'}).click();
  await expectShown(page, 'steps');
  await page.getByTestId('strategy').selectOption('bounded,optimal');
  await page.getByTestId('run').click();
  await expectDone(page);
  await page.locator('#counters').getByRole('link', {name: 'Inter-stage plans'}).click();
  await expectShown(page, 'inter-stage-plan');
  await expect(page.locator('#counters').getByRole('link', {name: 'Ruled out by bound'}))
      .toHaveAttribute('href', '#glossary-strategy');
});

test('on a 390 px phone the entry shows whole and nothing is wider than the screen', async ({page}) => {
  await page.setViewportSize({width: 390, height: 844});
  await openPage(page);
  await helpOf(page, 'Global batch').click();
  const entry = await expectShown(page, 'global-batch');
  const box = await entry.boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  expect(box.height).toBeLessThan(844);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('back from the glossary to a share link keeps the edits made since', async ({page}) => {
  await openPage(page);
  await page.locator('#share').click();
  await expect(page).toHaveURL(/#config=/);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-planner', 'ready');
  await page.locator('#f-gbs').fill('64');
  await helpOf(page, 'Global batch').click();
  await expectShown(page, 'global-batch');
  await page.goBack();
  await expect(page).toHaveURL(/#config=/);
  await expect(page.locator('#f-gbs')).toHaveValue('64');
});
