// Run control: the planner's workers, Run, Cancel and the table reproduction, the live counters of a search,
// and the confirmation a case too large to search asks for. What a run produced goes to onResult.

import {Counters, ProgressPacer, strategyNames} from './counters.js';
import {$} from './dom.js';
import {clearFieldMarks, errorOnForm} from './field-marks.js';
import {createPlanner, PlannerError} from './hetplan.js';
import {presetConfig, specFromConfig} from './presets.js';
import {setReproRow} from './reproduce.js';
import {byStrategy} from './results.js';

// Progress events this often (ms): twenty a second keeps the counters lively; the cost is a postMessage each.
const PROGRESS_INTERVAL_MS = 50;

export class RunControl {
  #status;
  #input;
  #onResult;
  #counters = new Counters();
  #planner = null;  // the promise of the planner, once start() has made it
  #pacer = null;    // the progress display of the running search
  #cancels = 0;     // Cancel presses so far: a run that sees this change while it waits stops there
  #runs = 0;        // runs started so far: the plans of a cancelled run are shown unless another has started

  // status: the PageStatus; input: the CaseInput; onResult(lastRun) with lastRun = {caseObj, config, run,
  // key (CaseInput.caseKey at its start), fromFiles, text, runs, cancelled} after each successful run, and
  // after a cancelled one that had found plans (cancelled: true, its plans those found so far).
  constructor(status, input, onResult) {
    this.#status = status;
    this.#input = input;
    this.#onResult = onResult;
    $('run').addEventListener('click', () => this.run());
    $('cancel').addEventListener('click', () => this.cancel());
    $('reproduce').addEventListener('click', () => this.reproduce());
    $('with-row4').addEventListener('change', () => {
      $('row4-warning').hidden = !$('with-row4').checked;
    });
  }

  // Starts the planner with `workers` workers. data-planner on <html> says when the WebAssembly module is
  // loaded in every worker (for tests and load-time measurements).
  start(workers) {
    this.#planner = createPlanner({workers});
    this.#planner.then(() => {
      performance.mark('hetplan-ready');
      document.documentElement.dataset.planner = 'ready';
    }, (e) => {
      document.documentElement.dataset.planner = 'failed';
      this.#status.showError(e.message);
    });
  }

  // The planner, once loaded.
  planner() {
    return this.#planner;
  }

  // Starts the workers of the form's worker count while the page is idle, so that the next run does not wait
  // for them to load their module. A run sets the count itself too (see #runOnce).
  preloadWorkers() {
    const workers = this.#input.workers(null);  // null: the form says what is wrong when Run is pressed
    if (this.#status.busy || !this.#planner || workers === null) return;
    this.#planner.then((planner) => (this.#status.busy ? null : planner.setWorkers(workers))).catch(() => {});
  }

  // One search with live counters, split over run.workers Web Workers (their counters summed); resolves once
  // the counters have shown its last event.
  async #runOnce(planner, caseObj, run) {
    const {workers = 1, ...search} = run;
    this.#counters.reset(strategyNames(search.strategy));
    $('workers-used').textContent = workers === 1 ? '1 worker' : `${workers} workers`;
    // New workers load their module first; Cancel pressed meanwhile has no search to stop yet.
    const cancels = this.#cancels;
    await planner.setWorkers(workers);
    if (this.#cancels !== cancels) throw new PlannerError('cancelled', 'cancelled');
    const pacer = new ProgressPacer((e) => this.#counters.update(e));
    this.#pacer = pacer;
    // explain: every plan of the top carries its cost terms and memory, for the plan details (cheap per plan).
    // confirm_in_page: a search past the limit is refused in the page's words, and confirmed below.
    const options = {...search, progress_interval_ms: PROGRESS_INTERVAL_MS, explain: true, confirm_in_page: true};
    try {
      const text = await planner.planJson(caseObj, options, (e) => pacer.push(e));
      await pacer.drained();
      if (this.#pacer !== pacer) throw new PlannerError('cancelled', 'cancelled');
      const runs = byStrategy(JSON.parse(text));
      this.#counters.finish(runs);
      return {text, runs};
    } finally {
      pacer.stop();
      if (this.#pacer === pacer) this.#pacer = null;
    }
  }

  // A case past the limit of inter-stage plans is refused by the planner with its count of them; the user may
  // confirm it, and Cancel still stops it at any time. A search estimated at more than a day (limit 0) is
  // refused whatever the limit: nothing to confirm.
  async #runConfirmingSize(planner, caseObj, run) {
    try {
      return await this.#runOnce(planner, caseObj, run);
    } catch (e) {
      const confirmable = e?.kind === 'too_large' && e.limit > 0;
      if (!confirmable || !window.confirm(`${e.message}.\n\nRun it anyway? Cancel stops it at any time.`)) {
        throw e;
      }
      return this.#runOnce(planner, caseObj, {...run, max_inter_plans: e.interPlans});
    }
  }

  // Runs `body` with the page busy; its failure is shown (or the cancelled state).
  async #busyWhile(body, onError = () => {}) {
    if (this.#status.busy) return;
    this.#status.clearError();
    this.#status.setBusy(true);
    this.#status.setState('running');
    try {
      await body(await this.#planner);
      this.#status.setState('done');
    } catch (e) {
      onError(e);
      this.#status.endWithError(e);
    } finally {
      this.#status.setBusy(false);
    }
  }

  run() {
    // On a phone the counters and results are a screen or two below Run: the run is watched there.
    if (window.matchMedia('(max-width: 900px)').matches && !this.#status.busy) {
      $('run-title').scrollIntoView({block: 'start'});
    }
    clearFieldMarks();
    return this.#busyWhile(async (planner) => {
      const started = ++this.#runs;
      let shown = null;  // what the result will be shown with
      let tableHostfile = null;
      try {
        const run = this.#input.readRunOptions();
        const key = this.#input.caseKey();  // read before the search: the form may change while it runs
        const current = await this.#input.currentCase(planner);
        tableHostfile = current.tableHostfile;
        const {caseObj, config} = current;
        shown = {caseObj, config, run, key, fromFiles: this.#input.fromFiles};
        const {text, runs} = await this.#runConfirmingSize(planner, caseObj, run);
        this.#onResult({...shown, text, runs});
      } catch (e) {
        if (e?.kind === 'cancelled' && e.soFar && shown) this.#showSoFar(e.soFar, shown, started);
        throw errorOnForm(e, 'error', tableHostfile);  // a field the user typed: named by its label, and marked
      }
    });
  }

  // The plans a cancelled run had found, once merged, unless another run has started since.
  async #showSoFar(soFar, shown, started) {
    const text = await soFar;
    if (text === null || this.#runs !== started || this.#status.busy) return;
    this.#onResult({...shown, text, runs: byStrategy(JSON.parse(text)), cancelled: true});
  }

  async cancel() {
    if (!this.#status.busy) return;
    this.#cancels += 1;
    // The search may be over with its last counters still on their way to the screen: stop those too.
    const pacer = this.#pacer;
    this.#pacer = null;
    pacer?.stop();
    (await this.#planner).cancel();
  }

  // Rows of the published table, one after the other, each row's figures beside the paper's.
  reproduce() {
    const rows = $('with-row4').checked ? [1, 2, 3, 4] : [1, 2, 3];
    const tbody = $('repro-body');
    let row = 0;
    const onError = (e) => {
      if (row) setReproRow(tbody, row, null, e?.kind === 'cancelled' ? 'cancelled' : 'error');
      for (const later of rows.filter((r) => r > row)) setReproRow(tbody, later, null, 'not run');
    };
    if (this.#status.busy) return Promise.resolve();
    tbody.replaceChildren();
    for (const r of rows) setReproRow(tbody, r, null, 'waiting');
    return this.#busyWhile(async (planner) => {
      const run = {strategy: 'both', cost_model: 'corrected', top: 1, workers: this.#input.workers(planner.workers)};
      for (row of rows) {
        setReproRow(tbody, row, null, 'running…');
        const caseObj = await planner.synthetic(specFromConfig(presetConfig(`table1-row${row}`)));
        const {runs} = await this.#runOnce(planner, caseObj, run);
        setReproRow(tbody, row, runs);
      }
    }, onError);
  }
}
