// The launch configuration of the plan shown in the details: the core's export for each target, a refusal
// with the reason and the targets that can take the plan, and a file copied to the clipboard.
import {expect, expectDone, openPage, runPreset, test} from './fixtures.mjs';

// Row 1's best plan: one stage of 32 GPUs (dp 1, tp 32), one micro-batch of 128; 8 transformer layers
// (hetplan's 10 profiled layers count the embedding and the head).
const ROW1_MEGATRON = '--tensor-model-parallel-size 32\n--pipeline-model-parallel-size 1\n--micro-batch-size 128\n' +
    '--global-batch-size 128\n--num-layers 8\n';

test('row 1: Megatron arguments, a FlagScale refusal with the reason, copy to the clipboard', async ({page, context}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPage(page);
  await runPreset(page, 'table1-row1', 'metis');
  await expectDone(page);
  const launch = page.getByTestId('launch');
  await expect(launch.getByTestId('launch-file').first().locator('code')).toHaveText('megatron-args.txt');
  await expect(launch.getByTestId('launch-text').first()).toHaveText(ROW1_MEGATRON);
  await expect(launch.getByTestId('launch-notes')).toBeVisible();

  await launch.getByTestId('launch-copy').first().click();
  await expect(launch.getByTestId('launch-copy').first()).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ROW1_MEGATRON);

  await page.getByTestId('launch-target').selectOption('flagscale');
  await expect(launch.getByTestId('launch-refused')).toHaveText('flagscale cannot launch metis-1: stage 1 holds ' +
      'GPUs of several types (A100, V100): each FlagScale process mesh has one device type; megatron or ' +
      'deepspeed can take it.');
  await expect(launch.getByTestId('launch-file')).toHaveCount(0);

  await page.getByTestId('launch-target').selectOption('deepspeed');
  await expect(launch.getByTestId('launch-file').first().locator('code')).toHaveText('ds_config.json');
  await expect(launch.getByTestId('launch-text').first()).toContainText('"train_micro_batch_size_per_gpu": 128');
});

test('the configuration follows the plan picked in the details', async ({page}) => {
  await openPage(page);
  await runPreset(page, 'table1-row1', 'metis');
  await expectDone(page);
  // Plan 2: the same stage in two micro-batches of 64.
  await page.getByTestId('detail-plan').selectOption('metis:2');
  await expect(page.getByTestId('launch-text').first()).toHaveText(ROW1_MEGATRON.replace('size 128\n--global',
      'size 64\n--global'));
  await page.getByTestId('detail-plan').selectOption('metis:1');
  await expect(page.getByTestId('launch-text').first()).toHaveText(ROW1_MEGATRON);
});
