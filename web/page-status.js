// The run state shown at the top (idle, running, done, cancelled, error), the error line, and the busy state:
// which buttons work while a search runs, and the elapsed-time ticker.

import {$} from './dom.js';

export class PageStatus {
  #busy = false;
  #started = 0;
  #ticker = 0;

  get busy() {
    return this.#busy;
  }

  setState(state) {
    const el = $('state');
    el.textContent = state;
    el.dataset.state = state;
  }

  showError(message) {
    const el = $('error');
    el.textContent = message;
    el.hidden = false;
  }

  // message: only that error (another one shown since stays).
  clearError(message = null) {
    const el = $('error');
    if (message !== null && el.textContent !== message) return;
    el.textContent = '';
    el.hidden = true;
  }

  // A failed run: cancelled is a state of its own, anything else shows its message.
  endWithError(e) {
    if (e?.kind === 'cancelled') {
      this.setState('cancelled');
      return;
    }
    this.showError(e?.message ?? String(e));
    this.setState('error');
  }

  setBusy(busy) {
    this.#busy = busy;
    $('run').disabled = busy;
    $('reproduce').disabled = busy;
    $('sweep-run').disabled = busy;
    $('cancel').disabled = !busy;
    clearInterval(this.#ticker);
    if (busy) {
      this.#started = performance.now();
      this.#ticker = setInterval(() => this.#tick(), 100);
    }
    this.#tick();
  }

  #tick() {
    const seconds = (performance.now() - this.#started) / 1000;
    $('elapsed-total').textContent = this.#busy ? `${seconds.toFixed(1)} s` : '';
  }
}
