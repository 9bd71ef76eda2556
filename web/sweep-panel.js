// The Sweep part of the page: one or two parameters of the case in use with their values, one search per
// point in the workers (planner.sweep), the progress, the chart and the table's CSV and JSON. The case, the
// strategy, the cost model and the worker count are the form's, as for a single run.

import {$} from './dom.js';
import {clearFieldMarks, errorOnForm} from './field-marks.js';
import {FieldError} from './form-errors.js';
import {specFromConfig} from './presets.js';
import {saveText} from './save-text.js';
import {bestAt, drawSweepChart, strategyColour, sweepStrategies} from './sweep-chart.js';
import {sweepErrorOnPage, sweepParameters, varyTexts} from './sweep.js';

// Wider than this, a chart's points only spread further apart.
const MAX_CHART_WIDTH = 760;

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function legendItem(colour, text, hollow = false) {
  const li = document.createElement('li');
  const swatch = document.createElement('span');
  swatch.className = hollow ? 'swatch hollow' : 'swatch';
  swatch.style.borderColor = colour;
  if (!hollow) swatch.style.background = colour;
  li.append(swatch, document.createTextNode(text));
  return li;
}

export class SweepPanel {
  #status;
  #input;
  #planner;
  #result = null;  // {csv, json, table} of the last sweep

  // status: the PageStatus (a sweep makes the page busy like a run); input: the CaseInput; planner(): the
  // promise of the planner.
  constructor(status, input, planner) {
    this.#status = status;
    this.#input = input;
    this.#planner = planner;
    for (const n of [1, 2]) {
      $(`sweep-param-${n}`).addEventListener('change', () => this.#useDefaultValues(n));
    }
    $('sweep-run').addEventListener('click', () => this.run());
    $('sweep-cancel').addEventListener('click', () => this.cancel());
    $('sweep-csv').addEventListener('click', () => saveText('sweep.csv', 'text/csv', this.#result.csv));
    $('sweep-json').addEventListener('click', () => saveText('sweep.json', 'application/json', `${this.#result.json}\n`));
    window.addEventListener('resize', () => this.#drawChart());
  }

  // The parameters of the case in use (its GPU types' nodes and memory, or only the args for loaded files);
  // the choices made stay when they are still offered.
  updateParameters() {
    const params = sweepParameters(this.#configOrNull(), this.#input.fromFiles);
    for (const n of [1, 2]) {
      const select = $(`sweep-param-${n}`);
      const chosen = select.value;
      select.replaceChildren(...(n === 2 ? [option('', 'none')] : []),
          ...params.map((p) => option(p.path, p.label)));
      // '' is "none", a choice of the second parameter only: the first starts at its first choice (gbs).
      const kept = params.some((p) => p.path === chosen) || (n === 2 && chosen === '');
      select.value = kept ? chosen : select.options[0].value;
      if (select.value !== chosen) this.#useDefaultValues(n);
    }
  }

  // The form's configuration, or null while the form is incomplete or wrong (its own message says why).
  #configOrNull() {
    try {
      return this.#input.readConfig();
    } catch {
      return null;
    }
  }

  #useDefaultValues(n) {
    const path = $(`sweep-param-${n}`).value;
    const param = sweepParameters(this.#configOrNull(), this.#input.fromFiles).find((p) => p.path === path);
    $(`sweep-values-${n}`).value = param ? param.values : '';
    $(`sweep-values-${n}`).disabled = path === '';
  }

  // The base of the sweep: the form's synthetic spec (so that node counts and layers generate new profiles per
  // point), or the loaded files' case; and the hostfile written from the GPU table, if it was (see
  // CaseInput.currentCase).
  async #base(planner) {
    if (!this.#input.fromFiles) return {base: specFromConfig(this.#input.readConfig()), tableHostfile: null};
    const {caseObj, tableHostfile} = await this.#input.currentCase(planner);
    return {base: caseObj, tableHostfile};
  }

  #setRunning(running) {
    $('sweep-run').disabled = running;
    $('sweep-cancel').disabled = !running;
    $('sweep-csv').disabled = running || !this.#result;
    $('sweep-json').disabled = running || !this.#result;
  }

  #showError(message) {
    $('sweep-error').textContent = message;
    $('sweep-error').hidden = !message;
  }

  // The chosen parameters as sweepErrorOnPage names them.
  #axesOnPage() {
    return [1, 2].map((n) => {
      const select = $(`sweep-param-${n}`);
      return {path: select.value, label: select.selectedOptions[0]?.textContent ?? select.value,
        valuesId: `sweep-values-${n}`, paramId: `sweep-param-${n}`};
    }).filter((a) => a.path);
  }

  // The message shown for a failed sweep, with its field marked (tableHostfile: see errorOnForm).
  #errorText(e, tableHostfile) {
    if (e instanceof FieldError) return errorOnForm(e, 'sweep-error').message;
    const onPage = sweepErrorOnPage(e?.message, this.#axesOnPage());
    if (onPage?.id) return errorOnForm(new FieldError(onPage.message, {id: onPage.id}), 'sweep-error').message;
    if (onPage) return onPage.message;
    return errorOnForm(e, 'sweep-error', tableHostfile)?.message ?? String(e);
  }

  // The last chart and its downloads go when a new sweep starts: they are of other values.
  #clearResult() {
    this.#result = null;
    $('sweep-chart').replaceChildren();
    $('sweep-legend').replaceChildren();
  }

  async run() {
    if (this.#status.busy) return;
    this.#showError('');
    this.#clearResult();
    clearFieldMarks();
    this.#status.setBusy(true);
    this.#status.setState('running');
    this.#setRunning(true);
    const progress = $('sweep-progress');
    progress.textContent = 'starting…';
    let finished = 0;
    let total = 0;
    let tableHostfile = null;
    try {
      const {strategy, cost_model: costModel, workers} = this.#input.readRunOptions();
      const vary = varyTexts([1, 2].map((n) => ({path: $(`sweep-param-${n}`).value, values: $(`sweep-values-${n}`).value})));
      // One parameter twice: said before the module reads the values, whose errors name a path, not a field.
      if ($('sweep-param-2').value === $('sweep-param-1').value) {
        const label = $('sweep-param-2').selectedOptions[0]?.textContent ?? '';
        throw new FieldError(`Second parameter (${label}): the first parameter varies it already; choose another or none`,
            {id: 'sweep-param-2'});
      }
      const planner = await this.#planner();
      await planner.setWorkers(workers);
      const from = await this.#base(planner);
      tableHostfile = from.tableHostfile;
      // A cluster written from the GPU table is checked first: the points vary args only, so a refused cell
      // would fail every point alike, and one error of the whole names the cell (errorOnForm).
      if (tableHostfile) await planner.validate(from.base);
      const options = {strategy, cost_model: costModel, top: 1, confirm_in_page: true};
      const result = await planner.sweep(from.base, vary, options, (i, all, done) => {
        [finished, total] = [done, all];
        progress.textContent = `point ${done} of ${all}`;
      });
      this.#result = {...result, table: JSON.parse(result.json)};
      this.#drawChart();
      this.#status.setState('done');
    } catch (e) {
      const cancelled = e?.kind === 'cancelled';
      progress.textContent = cancelled ? `cancelled after ${finished} of ${total} points` : '';
      if (!cancelled) this.#showError(this.#errorText(e, tableHostfile));
      this.#status.setState(cancelled ? 'cancelled' : 'error');
    } finally {
      this.#status.setBusy(false);
      this.#setRunning(false);
    }
  }

  async cancel() {
    if ($('sweep-cancel').disabled) return;
    (await this.#planner()).cancel();
  }

  #drawChart() {
    const box = $('sweep-chart');
    if (!this.#result) return;
    const {table} = this.#result;
    const width = Math.min(MAX_CHART_WIDTH, box.clientWidth || MAX_CHART_WIDTH);
    box.replaceChildren(drawSweepChart(table, width));
    const strategies = sweepStrategies(table);
    const legend = $('sweep-legend');
    const noPlan = table.points.some((p) => !p.best || strategies.some((_, s) => bestAt(p, s).cost === null));
    if (table.axes.length === 1) {
      legend.replaceChildren(...strategies.map((s, i) => legendItem(strategyColour(i), s)));
      if (noPlan) legend.append(legendItem('#8a96a8', 'no plan (hover for why)', true));
    } else {
      legend.replaceChildren(legendItem('#41b6c4', `best cost of ${strategies[0]} (ms), light is cheaper`));
      if (noPlan) legend.append(legendItem('#9aa3b2', 'no plan (hover for why)', true));
    }
  }
}
