// The form field an error is about, on the page: the message names it by its label (not the module's place in
// the spec), and its input is marked invalid (a red outline) until the user edits it. form-errors.js finds the
// field; this part finds its inputs and marks them.

import {cellOfClusterMessage} from './cluster-errors.js';
import {$} from './dom.js';
import {FieldError, fieldOfMessage, typeCellLabel} from './form-errors.js';

// The inputs of a target (see form-errors.js), none when the form has no such field.
function inputsOf(target) {
  if (target.id) return [$(target.id)].filter(Boolean);
  const rows = [...$('types-body').rows];
  const picked = target.row === undefined ? rows : [rows[target.row]];
  return picked.map((tr) => tr?.querySelector(`input[data-field="${target.column}"]`)).filter(Boolean);
}

// The target's name as the page shows it: the field's label, or the GPU types table's row and column.
function labelOf(target, input) {
  const column = input.getAttribute('aria-label');
  if (target.id) return input.labels?.[0]?.textContent.trim() || target.id;
  if (target.row === undefined) return `GPU types, ${column}`;
  const name = input.closest('tr').querySelector('input[data-field="name"]')?.value.trim();
  return typeCellLabel(target.row, name, column);
}

// The error lines a mark points to (mark() adds no description to a field that has one of its own).
const ERROR_LINES = ['error', 'sweep-error'];

function unmark(input) {
  input.removeAttribute('aria-invalid');
  if (ERROR_LINES.includes(input.getAttribute('aria-describedby'))) input.removeAttribute('aria-describedby');
}

// A cell past the edge of its table's sideways scroll (the GPU table on a phone) is scrolled in: only that
// box moves, the page stays where the run put it.
function scrollIntoBox(input) {
  const box = input.closest('.scroll');
  if (!box) return;
  const outline = 4;  // the mark's outline and a little air: outside the input's own box
  const cell = input.getBoundingClientRect();
  const view = box.getBoundingClientRect();
  if (cell.right + outline > view.right) box.scrollLeft += cell.right + outline - view.right;
  else if (cell.left - outline < view.left) box.scrollLeft -= view.left - cell.left + outline;
}

// Marked until the next edit of that input; a screen reader reads the error line with the field. A field in
// a closed section (Model dimensions) or past a table's scroll edge is shown: a mark nobody can see does not
// say where to look.
function mark(input, errorId) {
  const section = input.closest('details');
  if (section) section.open = true;
  scrollIntoBox(input);
  input.setAttribute('aria-invalid', 'true');
  if (!input.hasAttribute('aria-describedby')) input.setAttribute('aria-describedby', errorId);
  input.addEventListener('input', () => unmark(input), {once: true});
}

// Every mark off: a new run, or the form's values replaced (a preset, a share link).
export function clearFieldMarks() {
  for (const input of document.querySelectorAll('[aria-invalid="true"]')) unmark(input);
}

// The error as the page shows it. About a field of the form: that field marked and, for the module's errors,
// a new error that names the field by its label, with the module's reason and the error's kind. Anything
// else comes back unchanged. errorId: the error line that shows it. tableHostfile: the hostfile the page wrote
// from its GPU table for the case (CaseInput.currentCase), whose errors are about the table's cells.
export function errorOnForm(e, errorId = 'error', tableHostfile = null) {
  const found = e instanceof FieldError ? {target: e.target, reason: null} :
    fieldOfMessage(e?.message) ?? cellOfClusterMessage(e?.message, tableHostfile);
  const inputs = found ? inputsOf(found.target) : [];
  if (inputs.length === 0) return e;
  for (const input of inputs) mark(input, errorId);
  if (found.reason === null) return e;  // the form's own check: its message names the field already
  return Object.assign(new Error(`${labelOf(found.target, inputs[0])}: ${found.reason}`), {kind: e.kind});
}
