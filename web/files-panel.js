// The files part of the page: files dropped or picked are classified and staged until they make a case, which
// the planner validates before the page uses it. It holds the staged files; the case in use is CaseInput's.

import {caseFromStaging, classifyAll, emptyStaging, filesFromDrop, filesFromInput, InputError, missingPieces,
  stageFiles} from './case-files.js';
import {$} from './dom.js';

function showStaging(staging) {
  const missing = missingPieces(staging);
  $('staging-note').textContent = missing.length === 0 ? '' : `Still needed for a case: ${missing.join(', ')}.`;
}

// The summary of a loaded case and the files it came from.
function showLoaded({summary, names}) {
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
}

export class FilesPanel {
  #status;
  #input;
  #planner;
  #onFailed;
  #staging = emptyStaging();

  // status: the PageStatus; input: the CaseInput; planner(): the promise of the planner; onFailed() after a
  // batch of files that could not be read or makes no valid case.
  constructor(status, input, planner, onFailed) {
    this.#status = status;
    this.#onFailed = onFailed;
    this.#input = input;
    this.#planner = planner;
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
        await this.load(await filesFromDrop(e.dataTransfer));
      } catch (err) {
        status.showError(`could not read the dropped files: ${err.message}`);
        onFailed();
      }
    });
    // Files dropped anywhere else must not make the browser navigate away from the page.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
    const fileInput = $('file-input');
    fileInput.addEventListener('change', async () => {
      const files = filesFromInput(fileInput.files);
      fileInput.value = '';
      if (files.length > 0) await this.load(files);
    });
    $('folder-button').addEventListener('click', () => {
      // A folder picker made on demand: the page keeps a single file input.
      const picker = document.createElement('input');
      picker.type = 'file';
      picker.webkitdirectory = true;
      picker.addEventListener('change', () => this.load(filesFromInput(picker.files)));
      picker.click();
    });
    $('use-form').addEventListener('click', () => input.useForm());
  }

  // A batch of files: classify, stage, and once complete, validate in the worker. Nothing changes unless the
  // batch is valid: an error leaves the previous inputs in place.
  async load(files) {
    if (this.#status.busy) {
      this.#status.showError('a search is running: cancel it before loading inputs');
      return;
    }
    this.#status.clearError();
    try {
      const staging = stageFiles(this.#staging, await classifyAll(files));
      if (missingPieces(staging).length > 0) {
        this.#staging = staging;
        showStaging(staging);
        return;
      }
      const caseObj = caseFromStaging(staging, this.#input.fallbackArgs());
      const summary = await this.#validate(caseObj);
      this.#staging = staging;
      showStaging(staging);
      const loaded = {caseObj, summary, names: staging.names};
      showLoaded(loaded);
      this.#input.useFiles(loaded);
    } catch (e) {
      const message = e?.message ?? String(e);
      const known = e instanceof InputError || e?.kind === 'input';
      this.#status.showError(known ? message : `could not read the files: ${message}`);
      this.#onFailed();
    }
  }

  async #validate(caseObj) {
    try {
      return await (await this.#planner()).validate(caseObj);
    } catch (e) {
      if (e?.kind !== 'input') throw e;
      throw new InputError(`these files do not make a valid case: ${e.message}`);
    }
  }
}
