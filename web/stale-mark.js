// Whether the results on screen still belong to the case in the form. A run records the key of what it
// searched; every later change compares the form's key with it, so that an edit undone clears the mark again.
// A failed file load marks them stale until the next run: the user tried to change the case, and the screen
// must not pass the old results off as the answer.

import {$} from './dom.js';

export class StaleMark {
  #shownKey = null;    // the key of the run on screen; null: no results shown
  #loadFailed = false;

  // A run's results are on screen: they match `key`.
  shown(key) {
    this.#shownKey = key;
    this.#loadFailed = false;
    this.#render(null);
  }

  // The case or its options changed: `key` is the form's key now (null when the form is incomplete).
  check(key) {
    if (this.#shownKey === null || this.#loadFailed) return;
    this.#render(key === this.#shownKey ? null : 'the case changed since this run');
  }

  loadFailed() {
    if (this.#shownKey === null) return;
    this.#loadFailed = true;
    this.#render('a file load failed since this run; the results are of the case before');
  }

  #render(reason) {
    const note = $('stale-note');
    note.hidden = reason === null;
    note.textContent = reason === null ? '' : `stale: ${reason}. Run again to update them.`;
    $('results').classList.toggle('stale', reason !== null);
  }
}
