// The configuration form: GPU types, model, bounds and search options, read into and written from one plain
// configuration object (the shape of the presets in presets.js).

import {$} from './dom.js';
import {clearFieldMarks} from './field-marks.js';
import {ARG_FIELDS, FieldError, TYPE_COLUMN_LABELS, typeCellLabel} from './form-errors.js';
import {MAX_WORKERS, validWorkers} from './shards.js';

// [field, step, min] of a GPU type row, in column order (their labels: TYPE_COLUMN_LABELS).
const TYPE_COLUMNS = [
  ['name', null, null],
  ['memory', 'any', 0],
  ['intra_bandwidth', 'any', 0],
  ['inter_bandwidth', 'any', 0],
  ['time_factor', 'any', 0],
  ['nodes', 1, 1],
  ['gpus_per_node', 1, 1],
];

// Scalar fields: element id -> [config field, whole number?].
const SCALARS = {
  'f-layers': ['layers', true],
  'f-max-batch': ['max_batch_size', true],
  'f-gbs': ['gbs', true],
  'f-max-tp': ['max_tp', true],
  'f-max-bs': ['max_bs', true],
  'f-variance': ['scale_variance', false],
  'f-permute': ['max_permute_len', true],
  'f-hidden': ['hidden_size', true],
  'f-seq': ['sequence_length', true],
  'f-vocab': ['vocab_size', true],
  'f-heads': ['attention_heads', true],
};

// The Strategy field's choices: each a list as the CLI's --strategy takes it ("both" = metis and pruned).
export const STRATEGIES = ['both', 'metis', 'pruned', 'bounded,bounded-pruned', 'bounded,optimal',
  'metis,bounded,optimal', 'metis,pruned,bounded,bounded-pruned,optimal'];
export const COST_MODELS = ['corrected', 'reference'];
const MAX_TYPES = 8;


// A measured type with nodes needs every field: its blank ones are marked for the user to fill. A type left
// out (0 nodes) asks for nothing.
function markBlanks(tr) {
  const used = Number(tr.querySelector('[data-field="nodes"]').value) > 0;
  for (const input of tr.querySelectorAll('input[type="number"]')) {
    input.classList.toggle('to-check', used && input.value.trim() === '');
  }
}

// A row of the GPU table. measured: a type of loaded profiles, whose name is the profiles' (read-only), which
// cannot be removed (0 nodes leaves it out) and has no time factor (its times are measured).
function typeRow(type, onChange, onRemove, measured = false) {
  const tr = document.createElement('tr');
  for (const [field, step, min] of TYPE_COLUMNS) {
    if (measured && field === 'time_factor') continue;
    const td = document.createElement('td');
    const input = document.createElement('input');
    input.dataset.field = field;
    input.setAttribute('aria-label', TYPE_COLUMN_LABELS[field]);
    if (field === 'name') {
      input.type = 'text';
      input.maxLength = 64;
      input.spellcheck = false;
      input.readOnly = measured;
    } else {
      input.type = 'number';
      input.step = String(step);
      input.min = String(min);
    }
    input.value = String(type[field] ?? '');
    input.addEventListener('input', () => {
      if (measured) markBlanks(tr);
      onChange();
    });
    td.append(input);
    tr.append(td);
  }
  const td = document.createElement('td');
  if (measured) {
    tr.dataset.type = type.name;  // a fixed name: tests and styles find a profiled type's row by it
    tr.append(td);
    markBlanks(tr);
    return tr;
  }
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'icon';
  remove.textContent = '×';
  remove.title = 'Remove this GPU type';
  remove.setAttribute('aria-label', 'Remove this GPU type');
  remove.addEventListener('click', () => onRemove(tr));
  td.append(remove);
  tr.append(td);
  return tr;
}

export class ConfigForm {
  #onChange;
  #measured = false;  // the GPU table lists the types of loaded profiles (no time factors, blanks allowed)
  #edited = new Set(); // args fields the user typed in since forgetEdits(): checked, so never marked again

  constructor(onChange) {
    this.#onChange = onChange;
    const head = $('types-head');
    for (const [field] of TYPE_COLUMNS) {
      const th = document.createElement('th');
      th.dataset.field = field;
      th.textContent = TYPE_COLUMN_LABELS[field];
      head.append(th);
    }
    head.append(document.createElement('th'));
    for (const [key, id] of Object.entries(ARG_FIELDS)) {
      $(id).addEventListener('input', () => {
        $(id).classList.remove('to-check');
        this.#edited.add(key);
      });
    }
    $('add-type').addEventListener('click', () => {
      const body = $('types-body');
      if (body.rows.length >= MAX_TYPES) return;
      const n = body.rows.length + 1;
      body.append(this.#row({name: `GPU${n}`, memory: 24, intra_bandwidth: 50, inter_bandwidth: 10,
                              time_factor: 2, nodes: 1, gpus_per_node: 4}));
      this.#changed();
    });
    for (const id of [...Object.keys(SCALARS), 'strategy', 'cost-model', 'top', 'workers']) {
      $(id).addEventListener('input', () => this.#changed());
    }
  }

  #changed() {
    $('add-type').disabled = $('types-body').rows.length >= MAX_TYPES;
    this.#onChange();
  }

  #row(type, measured = false) {
    return typeRow(type, () => this.#changed(), (tr) => {
      if ($('types-body').rows.length <= 1) return;  // a cluster needs at least one type
      tr.remove();
      this.#changed();
    }, measured);
  }

  // Writing values (a preset, a share link, a loaded case's args) takes the marks of the old ones away.
  writeConfig(config) {
    clearFieldMarks();
    this.#setMeasured(false);
    const body = $('types-body');
    body.replaceChildren(...config.types.map((t) => this.#row(t)));
    for (const [id, [field]] of Object.entries(SCALARS)) {
      if (config[field] !== undefined) $(id).value = String(config[field]);
    }
    $('add-type').disabled = body.rows.length >= MAX_TYPES;
  }

  #setMeasured(measured) {
    this.#measured = measured;
    $('types-head').classList.toggle('measured', measured);
    $('add-type').hidden = measured;
  }

  // The GPU table over loaded profiles: one row per profiled type, its cluster figures blank until the user
  // sets them (0 nodes: the type is left out). Rows already showing the same types keep what the user typed.
  writeMeasuredTypes(names) {
    const body = $('types-body');
    const shown = [...body.rows].map((tr) => tr.querySelector('input').value);
    if (this.#measured && JSON.stringify(shown) === JSON.stringify(names)) return;
    this.#setMeasured(true);
    body.replaceChildren(...names.map((name) => this.#row({name, nodes: 0}, true)));
  }

  // Args fields only (a loaded case brings its own cluster and profiles).
  writeArgs(args) {
    clearFieldMarks();
    for (const [key, id] of Object.entries(ARG_FIELDS)) {
      if (typeof args[key] === 'number') $(id).value = String(args[key]);
    }
  }

  forgetEdits() {
    this.#edited.clear();
  }

  // The args fields among `keys` that the user has not typed in since forgetEdits().
  unedited(keys) {
    return keys.filter((key) => !this.#edited.has(key));
  }

  // Marks the args fields `keys` as values the loaded files do not give, but those the user has typed in (a
  // mark is cleared when the user edits its field); every other args field loses its mark. Opens the model
  // dimensions when one of them is marked. Returns the keys marked.
  markToCheck(keys) {
    const marked = this.unedited(keys);
    for (const [key, id] of Object.entries(ARG_FIELDS)) $(id).classList.toggle('to-check', marked.includes(key));
    const dims = $('f-hidden').closest('details');
    if (dims && [...dims.querySelectorAll('input')].some((i) => i.classList.contains('to-check'))) dims.open = true;
    return marked;
  }

  // The configuration in the form, checked enough to give a clear message; the core checks the rest.
  readConfig() {
    const config = {types: []};
    const rows = [...$('types-body').rows];
    rows.forEach((tr, i) => {
      const type = {};
      for (const input of tr.querySelectorAll('input')) {
        const field = input.dataset.field;
        const target = {row: i, column: field};
        if (field === 'name') {
          type.name = input.value.trim();
          if (type.name === '') throw new FieldError(`${typeCellLabel(i, '', input.getAttribute('aria-label'))}: empty`, target);
        } else if (this.#measured && input.value.trim() === '') {
          type[field] = field === 'nodes' ? 0 : null;  // asked for only when the type has nodes
        } else {
          const v = Number(input.value);
          if (input.value.trim() === '' || !Number.isFinite(v)) {
            throw new FieldError(`${typeCellLabel(i, type.name, input.getAttribute('aria-label'))}: expected a number`, target);
          }
          type[field] = v;
        }
      }
      config.types.push(type);
    });
    const names = new Set(config.types.map((t) => t.name));
    if (names.size !== config.types.length) {
      throw new FieldError('GPU types, Name: two types have the same name', {column: 'name'});
    }
    for (const [id, [field, whole]] of Object.entries(SCALARS)) {
      const el = $(id);
      const v = Number(el.value);
      if (el.value.trim() === '' || !Number.isFinite(v) || (whole && !Number.isInteger(v))) {
        const label = el.labels?.[0]?.textContent?.trim() ?? field;
        throw new FieldError(`${label}: expected ${whole ? 'a whole number' : 'a number'}`, {id});
      }
      config[field] = v;
    }
    return config;
  }

  readRunOptions() {
    const top = Number($('top').value);
    if (!Number.isInteger(top) || top < 1 || top > 100) throw new FieldError('Top K: expected 1 to 100', {id: 'top'});
    const workers = Number($('workers').value);
    if (!validWorkers(workers)) throw new FieldError(`Workers: expected 1 to ${MAX_WORKERS}`, {id: 'workers'});
    return {strategy: $('strategy').value, cost_model: $('cost-model').value, top, workers};
  }

  writeRunOptions(run) {
    if (STRATEGIES.includes(run.strategy)) $('strategy').value = run.strategy;
    if (COST_MODELS.includes(run.cost_model)) $('cost-model').value = run.cost_model;
    if (Number.isInteger(run.top)) $('top').value = String(run.top);
    if (validWorkers(run.workers)) $('workers').value = String(run.workers);
  }
}
