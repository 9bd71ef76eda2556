// Which form field an error is about. The module names what it rejects by its place in the synthetic spec or
// the case JSON the page built ("synthetic spec: args: gbs: expected ..."), words the user never typed; the page
// names the field by its label instead and marks it (field-marks.js). No DOM here: the node tests check this
// against the module's own messages.

import {InputError} from './case-files.js';

// A target is {id} for a field of its own, {row, column} for a cell of the GPU types table (row from 0, column
// the cell's data-field), or {column} for that column in every row.

// The form's fields that args.json has too: args.json key -> element id (the form reads and writes args with
// it; here it names the field of an args error).
export const ARG_FIELDS = {
  num_layers: 'f-layers', gbs: 'f-gbs', max_profiled_tp_degree: 'f-max-tp', max_profiled_batch_size: 'f-max-bs',
  min_group_scale_variance: 'f-variance', max_permute_len: 'f-permute', hidden_size: 'f-hidden',
  sequence_length: 'f-seq', vocab_size: 'f-vocab', attention_head_size: 'f-heads',
};

// The places in the spec and in its args that a form field fills, and the field's id.
const FIELD_OF_PLACE = {
  'layers': 'f-layers',
  'max_batch_size': 'f-max-batch',
  ...Object.fromEntries(Object.entries(ARG_FIELDS).map(([key, id]) => [`args: ${key}`, id])),
};

// "<source>: <place>: <reason>", the source being the spec (a form's case) or the case JSON (loaded files with
// the form's bounds); the place a key, an args key, a GPU type's field, or the types as a whole.
const MODULE_MESSAGE = /^(?:synthetic spec|case JSON): (args: [a-z_]+|types\[(\d+)\]\.([a-z_]+)|[a-z_]+): (.+)$/s;

// {target, reason} of a module's message about a form field; null when it is about something else (a loaded
// file, the search itself).
export function fieldOfMessage(message) {
  const m = MODULE_MESSAGE.exec(String(message ?? ''));
  if (!m) return null;
  const [, place, row, column, reason] = m;
  if (row !== undefined) return {target: {row: Number(row), column}, reason};
  // Every type with 0 nodes: the Nodes column as a whole.
  if (place === 'types') return {target: {column: 'nodes'}, reason};
  const id = FIELD_OF_PLACE[place];
  return id ? {target: {id}, reason} : null;
}

// The GPU types table's columns: data-field -> the header, which is each cell's label too (aria-label). Here
// because the errors of a cell name it by this label, those of the page's checks without a DOM too.
export const TYPE_COLUMN_LABELS = {
  name: 'Name', memory: 'Memory GB', intra_bandwidth: 'Intra GB/s', inter_bandwidth: 'Inter GB/s',
  time_factor: 'Time ×A100', nodes: 'Nodes', gpus_per_node: 'GPUs/node',
};

// How the page names a cell of the GPU types table: its row (with the type's name once it has one) and column
// (its label).
export function typeCellLabel(row, name, column) {
  return `GPU type ${row + 1}${name ? ` (${name})` : ''}, ${column}`;
}

// An error of the form's own checks: the message names the field already; target says which one to mark.
export class FieldError extends InputError {
  constructor(message, target) {
    super(message);
    this.target = target;
  }
}
