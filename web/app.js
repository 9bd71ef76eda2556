// The page: wires the form, the file loader, the planner worker, the live counters and the result views.

import {caseFromStaging, classifyAll, emptyStaging, filesFromDrop, filesFromInput, InputError, missingPieces,
  stageFiles} from './case-files.js';
import {Counters, ProgressPacer, strategyNames} from './counters.js';
import {ConfigForm} from './form.js';
import {createPlanner, PlannerError} from './hetplan.js';
import {PlanDetails} from './plan-details.js';
import {drawPlan, gpusByType} from './plan-view.js';
import {argsFromConfig, DEFAULT_RUN, matchingPreset, presetConfig, PRESETS, specFromConfig} from './presets.js';
import {renderReasons} from './reasons.js';
import {setReproRow} from './reproduce.js';
import {byStrategy, formatCost, renderComparison, renderGaps, renderTopTables, resultCsv, stagesText} from
    './results.js';
import {defaultWorkers, validWorkers} from './shards.js';
import {cliCommand, configHash, parseConfigHash} from './share.js';

const $ = (id) => document.getElementById(id);
// Progress events this often (ms): twenty a second keeps the counters lively; the cost is a postMessage each.
const PROGRESS_INTERVAL_MS = 50;

const embed = new URLSearchParams(location.search).get('embed') === '1';
if (embed) document.body.classList.add('embed');

const counters = new Counters();
const form = new ConfigForm(onFormChange);
// The planner and its workers, started by start() once the form holds the worker count.
let plannerReady = null;

function startPlanner(workers) {
  plannerReady = createPlanner({workers});
  // data-planner on <html> says when the WebAssembly module is loaded in every worker (for tests and load-time
  // measurements).
  plannerReady.then(() => {
    performance.mark('hetplan-ready');
    document.documentElement.dataset.planner = 'ready';
  }, (e) => {
    document.documentElement.dataset.planner = 'failed';
    showError(e.message);
  });
}

const app = {
  busy: false,
  mode: 'form',        // 'form': the synthetic case of the form; 'files': the loaded case
  loaded: null,        // {caseObj, summary, names} of the last valid loaded input
  staging: emptyStaging(),
  pacer: null,         // the progress display of the running search
  synthCache: null,    // {key, caseObj}: generating profiles for an unchanged form is wasted work
  lastRun: null,       // {caseObj, config, run, fromFiles, text, runs}
  started: 0,
  ticker: 0,
  cancels: 0,          // Cancel presses so far: a run that sees this change while it waits stops there
};

// State, errors --------------------------------------------------------------------------------------------------

function setState(state) {
  const el = $('state');
  el.textContent = state;
  el.dataset.state = state;
}

function showError(message) {
  const el = $('error');
  el.textContent = message;
  el.hidden = false;
}

function clearError() {
  const el = $('error');
  el.textContent = '';
  el.hidden = true;
}

function setBusy(busy) {
  app.busy = busy;
  $('run').disabled = busy;
  $('reproduce').disabled = busy;
  $('cancel').disabled = !busy;
  clearInterval(app.ticker);
  if (busy) {
    app.started = performance.now();
    app.ticker = setInterval(tick, 100);
  }
  tick();
}

function tick() {
  const el = $('elapsed-total');
  el.textContent = app.busy ? `${((performance.now() - app.started) / 1000).toFixed(1)} s` : '';
}

// The form and presets -------------------------------------------------------------------------------------------

function currentRunOptions() {
  return form.readRunOptions();
}

// The form's worker count, or `fallback` when the form's run options are incomplete.
function formWorkers(fallback) {
  try {
    return currentRunOptions().workers;
  } catch {
    return fallback;
  }
}

function onFormChange() {
  let preset = null;
  try {
    // Loaded files are never a preset, whatever the (disabled) cluster fields still hold.
    if (app.mode === 'form') preset = matchingPreset(form.readConfig());
  } catch {
    // an incomplete form matches no preset
  }
  $('preset').value = preset ?? 'custom';
  if (app.mode === 'form') describePreset();
  updateCli();
  preloadWorkers();
}

// Starts the workers of a new worker count while the page is idle, so that the next run does not wait for them
// to load their module. A run sets the count itself too (see runOnce).
function preloadWorkers() {
  const workers = formWorkers(null);  // null: the form says what is wrong when Run is pressed
  if (app.busy || !plannerReady || workers === null) return;
  plannerReady.then((planner) => (app.busy ? null : planner.setWorkers(workers))).catch(() => {});
}

function describePreset() {
  const p = PRESETS[$('preset').value];
  $('preset-note').textContent = p ? p.label : 'Your own cluster and model.';
}

function applyPreset(name) {
  const config = presetConfig(name);
  if (!config) return;
  $('preset').value = name;
  form.writeConfig(config);
  useForm();
  describePreset();
  updateCli();
}

function useForm() {
  app.mode = 'form';
  $('loaded').hidden = true;
  $('cluster-fields').disabled = false;
  document.body.classList.remove('files-mode');
}

// The case of a run: the loaded files (with the form's search bounds) or the synthetic case of the form.
async function currentCase(planner) {
  const config = form.readConfig();
  if (app.mode === 'files') {
    const caseObj = structuredClone(app.loaded.caseObj);
    const modelName = caseObj.args?.model_name ?? 'GPT';
    caseObj.args = {...caseObj.args, ...argsFromConfig(config, modelName)};
    return {caseObj, config};
  }
  const spec = specFromConfig(config);
  const key = JSON.stringify(spec);
  if (app.synthCache?.key !== key) app.synthCache = {key, caseObj: await planner.synthetic(spec)};
  return {caseObj: app.synthCache.caseObj, config};
}

// Runs ------------------------------------------------------------------------------------------------------------

// One search with live counters, split over run.workers Web Workers (their counters summed); resolves once the
// counters have shown its last event.
async function runOnce(planner, caseObj, run) {
  const {workers = 1, ...search} = run;
  counters.reset(strategyNames(search.strategy));
  $('workers-used').textContent = workers === 1 ? '1 worker' : `${workers} workers`;
  // New workers load their module first; Cancel pressed meanwhile has no search to stop yet.
  const cancels = app.cancels;
  await planner.setWorkers(workers);
  if (app.cancels !== cancels) throw new PlannerError('cancelled', 'cancelled');
  const pacer = new ProgressPacer((e) => counters.update(e));
  app.pacer = pacer;
  // explain: every plan of the top carries its cost terms and memory, for the plan details (cheap per plan).
  const options = {...search, progress_interval_ms: PROGRESS_INTERVAL_MS, explain: true};
  try {
    const text = await planner.planJson(caseObj, options, (e) => pacer.push(e));
    await pacer.drained();
    if (app.pacer !== pacer) throw new PlannerError('cancelled', 'cancelled');
    const runs = byStrategy(JSON.parse(text));
    counters.finish(runs);
    return {text, runs};
  } finally {
    pacer.stop();
    if (app.pacer === pacer) app.pacer = null;
  }
}

// A case too large to search in reasonable time is refused by the planner with its count of inter-stage plans;
// the user may confirm it, and Cancel still stops it at any time.
async function runConfirmingSize(planner, caseObj, run) {
  try {
    return await runOnce(planner, caseObj, run);
  } catch (e) {
    if (e?.kind !== 'too_large' || !window.confirm(`${e.message}.\n\nRun it anyway? Cancel stops it at any time.`)) {
      throw e;
    }
    return runOnce(planner, caseObj, {...run, max_inter_plans: e.interPlans});
  }
}

async function onRun() {
  if (app.busy) return;
  clearError();
  setBusy(true);
  setState('running');
  try {
    const planner = await plannerReady;
    const run = currentRunOptions();
    const {caseObj, config} = await currentCase(planner);
    const {text, runs} = await runConfirmingSize(planner, caseObj, run);
    app.lastRun = {caseObj, config, run, fromFiles: app.mode === 'files', text, runs};
    showResults();
    setState('done');
  } catch (e) {
    endWithError(e);
  } finally {
    setBusy(false);
  }
}

function endWithError(e) {
  if (e?.kind === 'cancelled') {
    setState('cancelled');
    return;
  }
  showError(e?.message ?? String(e));
  setState('error');
}

async function onCancel() {
  if (!app.busy) return;
  app.cancels += 1;
  // The search may be over with its last counters still on their way to the screen: stop those too.
  const pacer = app.pacer;
  app.pacer = null;
  pacer?.stop();
  (await plannerReady).cancel();
}

// Results -------------------------------------------------------------------------------------------------------

function showResults() {
  const {runs, caseObj} = app.lastRun;
  $('results').hidden = false;
  for (const id of ['export-result', 'export-csv']) $(id).disabled = false;
  const both = runs.metis && runs.pruned;
  $('comparison-section').hidden = !both;
  if (both) renderComparison($('comparison'), runs);
  $('gaps-section').hidden = !renderGaps($('gaps'), runs);
  planDetails().show(runs);
  renderTopTables($('top-tables'), runs, (strategy, plan, tr) => {
    for (const other of $('top-tables').querySelectorAll('tr.selected')) other.classList.remove('selected');
    tr.classList.add('selected');
    showPlan(strategy, plan, caseObj);
    planDetails().select(strategy, runs[strategy].top.indexOf(plan) + 1);
  });
  // The best plan over the strategies run (ties: the first strategy).
  let best = null;
  for (const [strategy, r] of Object.entries(runs)) {
    if (r.top[0] && (!best || r.top[0].cost < best.plan.cost)) best = {strategy, plan: r.top[0]};
  }
  const noPlan = renderReasons($('reasons-section'), $('reasons-list'), $('missing-keys'), runs);
  if (best) {
    showPlan(best.strategy, best.plan, caseObj);
  } else {
    $('plan-drawing').replaceChildren();
    $('plan-caption').textContent = noPlan ? 'The search found no plan (see “Why” above): nothing to draw.' :
      'No plan got a cost (see “Why” above), so there is nothing to draw.';
  }
  updateCli();
}

// Made on first use: its ResizeObserver needs the section in the DOM.
let details = null;
const planDetails = () => (details ??= new PlanDetails($('plan-details-section')));

function showPlan(strategy, plan, caseObj) {
  drawPlan($('plan-drawing'), plan, gpusByType(caseObj));
  $('plan-caption').textContent = `${strategy}: cost ${formatCost(plan.cost)} ms per iteration, ` +
      `${plan.device_groups.length} stage(s) over ${plan.node_sequence.join(' → ')}, ${plan.batches} ` +
      `micro-batch(es), dp×tp ${stagesText(plan)}`;
}

// Export, share, CLI -------------------------------------------------------------------------------------------

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    $('export-note').textContent = `${what} copied.`;
  } catch {
    $('export-note').textContent = `${what}: copy it from here: ${text}`;
  }
}

function updateCli() {
  try {
    const fromFiles = app.mode === 'files';
    $('cli-command').textContent = cliCommand(form.readConfig(), currentRunOptions(), fromFiles);
  } catch {
    $('cli-command').textContent = '';
  }
}

function shareLink() {
  const hash = configHash(form.readConfig(), currentRunOptions());
  history.replaceState(null, '', hash);
  return location.href;
}

function wireExports() {
  // The case of the form as it is now (no run needed: large cases are for the CLI).
  $('export-case').addEventListener('click', async () => {
    try {
      const {caseObj} = await currentCase(await plannerReady);
      download('case.json', 'application/json', `${JSON.stringify(caseObj, null, 1)}\n`);
    } catch (e) {
      showError(e.message);
    }
  });
  $('export-result').addEventListener('click', () => {
    if (app.lastRun) download('result.json', 'application/json', `${app.lastRun.text}\n`);
  });
  $('export-csv').addEventListener('click', () => {
    if (app.lastRun) download('result.csv', 'text/csv', resultCsv(app.lastRun.runs));
  });
  $('share').addEventListener('click', () => {
    try {
      const note = app.mode === 'files' ? ' (the form only: loaded files are not part of links)' : '';
      copyText(shareLink(), `Share link${note}`);
    } catch (e) {
      showError(e.message);
    }
  });
  $('copy-cli').addEventListener('click', () => {
    const cmd = $('cli-command').textContent;
    const pre = cmd.includes('--case-json') ? '# first: Export > Case JSON, saved as case.json\n' : '';
    copyText(pre + cmd, 'CLI command');
  });
}

function restoreFromHash() {
  try {
    const shared = parseConfigHash(location.hash);
    if (!shared) return false;
    form.writeConfig(shared.config);
    form.writeRunOptions(shared.run);
    useForm();
    onFormChange();
    return true;
  } catch (e) {
    showError(e.message);
    return false;
  }
}

// Loading files ---------------------------------------------------------------------------------------------------

function fallbackArgs() {
  try {
    return argsFromConfig(form.readConfig());
  } catch {
    return argsFromConfig(presetConfig('table1-row1'));
  }
}

function showStaging(staging) {
  const missing = missingPieces(staging);
  $('staging-note').textContent = missing.length === 0 ? '' :
      `Still needed for a case: ${missing.join(', ')}.`;
}

// A batch of files: classify, stage, and once complete, validate in the worker. Nothing changes unless the
// batch is valid: an error leaves the previous inputs in place.
async function loadFiles(files) {
  if (app.busy) {
    showError('a search is running: cancel it before loading inputs');
    return;
  }
  clearError();
  try {
    const classified = await classifyAll(files);
    const staging = stageFiles(app.staging, classified);
    if (missingPieces(staging).length > 0) {
      app.staging = staging;
      showStaging(staging);
      return;
    }
    const caseObj = caseFromStaging(staging, fallbackArgs());
    const planner = await plannerReady;
    let summary;
    try {
      summary = await planner.validate(caseObj);
    } catch (e) {
      if (e?.kind !== 'input') throw e;
      throw new InputError(`these files do not make a valid case: ${e.message}`);
    }
    app.staging = staging;
    app.loaded = {caseObj, summary, names: staging.names};
    showStaging(staging);
    showLoaded();
  } catch (e) {
    const message = e?.message ?? String(e);
    showError(e instanceof InputError || e?.kind === 'input' ? message : `could not read the files: ${message}`);
  }
}

function showLoaded() {
  const {caseObj, summary, names} = app.loaded;
  app.mode = 'files';
  $('preset').value = 'custom';
  $('preset-note').textContent = '';
  document.body.classList.add('files-mode');
  if (caseObj.args) form.writeArgs(caseObj.args);
  $('cluster-fields').disabled = true;
  $('loaded').hidden = false;
  const parts = [];
  for (const [k, v] of Object.entries(summary ?? {})) {
    if (typeof v === 'number' || typeof v === 'string') parts.push(`${k.replaceAll('_', ' ')}: ${v}`);
  }
  $('loaded-summary').textContent = parts.join(', ');
  const items = [];
  for (const [kind, list] of Object.entries(names)) {
    const li = document.createElement('li');
    const shown = list.length > 4 ? `${list.slice(0, 3).join(', ')} … (${list.length} files)` : list.join(', ');
    li.textContent = `${kind}: ${shown}`;
    items.push(li);
  }
  $('loaded-files').replaceChildren(...items);
  updateCli();
}

function wireFiles() {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    try {
      await loadFiles(await filesFromDrop(e.dataTransfer));
    } catch (err) {
      showError(`could not read the dropped files: ${err.message}`);
    }
  });
  // Files dropped anywhere else must not make the browser navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  const input = $('file-input');
  input.addEventListener('change', async () => {
    const files = filesFromInput(input.files);
    input.value = '';
    if (files.length > 0) await loadFiles(files);
  });
  $('folder-button').addEventListener('click', () => {
    // A folder picker made on demand: the page keeps a single file input.
    const picker = document.createElement('input');
    picker.type = 'file';
    picker.webkitdirectory = true;
    picker.addEventListener('change', () => loadFiles(filesFromInput(picker.files)));
    picker.click();
  });
  $('use-form').addEventListener('click', () => {
    useForm();
    onFormChange();
  });
}

// Reproduce the table -------------------------------------------------------------------------------------------

async function onReproduce() {
  if (app.busy) return;
  clearError();
  const rows = $('with-row4').checked ? [1, 2, 3, 4] : [1, 2, 3];
  const tbody = $('repro-body');
  tbody.replaceChildren();
  for (const row of rows) setReproRow(tbody, row, null, 'waiting');
  setBusy(true);
  setState('running');
  let row = 0;
  try {
    const planner = await plannerReady;
    const run = {strategy: 'both', cost_model: 'corrected', top: 1, workers: formWorkers(planner.workers)};
    for (row of rows) {
      setReproRow(tbody, row, null, 'running…');
      const caseObj = await planner.synthetic(specFromConfig(presetConfig(`table1-row${row}`)));
      const {runs} = await runOnce(planner, caseObj, run);
      setReproRow(tbody, row, runs);
    }
    setState('done');
  } catch (e) {
    if (row) setReproRow(tbody, row, null, e?.kind === 'cancelled' ? 'cancelled' : 'error');
    for (const later of rows.filter((r) => r > row)) setReproRow(tbody, later, null, 'not run');
    endWithError(e);
  } finally {
    setBusy(false);
  }
}

// Start -----------------------------------------------------------------------------------------------------------

function start() {
  $('preset').addEventListener('change', () => {
    if ($('preset').value !== 'custom') applyPreset($('preset').value);
  });
  $('run').addEventListener('click', onRun);
  $('cancel').addEventListener('click', onCancel);
  $('reproduce').addEventListener('click', onReproduce);
  $('with-row4').addEventListener('change', () => {
    $('row4-warning').hidden = !$('with-row4').checked;
  });
  wireExports();
  wireFiles();
  window.addEventListener('hashchange', restoreFromHash);
  form.writeRunOptions({...DEFAULT_RUN, workers: defaultWorkers()});
  if (!restoreFromHash()) applyPreset('table1-row1');
  // ?workers=N (links, tests) wins over the default and a share link's count.
  const workers = Number(new URLSearchParams(location.search).get('workers'));
  if (validWorkers(workers)) form.writeRunOptions({workers});
  startPlanner(formWorkers(1));
  setState('idle');
}

start();
