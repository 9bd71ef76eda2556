// The export part of the page: the case, the last result (JSON, CSV), the share link and the CLI command that
// reproduces a run. It holds the last run, the only thing it exports that the form does not have.

import {$} from './dom.js';
import {resultCsv} from './results.js';
import {cliCommand, configHash} from './share.js';

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

export class ExportPanel {
  #input;
  #lastRun = null;  // {text, runs, ...} of the last successful run

  // input: the CaseInput; currentCase(): the case of the form as it is now ({caseObj}); showError(error).
  constructor(input, currentCase, showError) {
    this.#input = input;
    // The case of the form as it is now (no run needed: large cases are for the CLI).
    $('export-case').addEventListener('click', async () => {
      try {
        const {caseObj} = await currentCase();
        download('case.json', 'application/json', `${JSON.stringify(caseObj, null, 1)}\n`);
      } catch (e) {
        showError(e);
      }
    });
    $('export-result').addEventListener('click', () => {
      if (this.#lastRun) download('result.json', 'application/json', `${this.#lastRun.text}\n`);
    });
    $('export-csv').addEventListener('click', () => {
      if (this.#lastRun) download('result.csv', 'text/csv', resultCsv(this.#lastRun.runs));
    });
    $('share').addEventListener('click', () => {
      // A link holds the form only: for loaded files it would open another case than the one on screen.
      if (input.fromFiles) {
        $('export-note').textContent = 'Not copied: a loaded case cannot be shared as a link (the files are ' +
            'too large for a URL). Share its "Case JSON" instead: the page loads it back, and the CLI runs it ' +
            'with the command below.';
        return;
      }
      try {
        copyText(this.#shareLink(), 'Share link');
      } catch (e) {
        showError(e);
      }
    });
    $('copy-cli').addEventListener('click', () => {
      const cmd = $('cli-command').textContent;
      const pre = cmd.includes('--case-json') ? '# first: Export > Case JSON, saved as case.json\n' : '';
      copyText(pre + cmd, 'CLI command');
    });
  }

  // A finished run: its result can be exported from now on.
  setRun(lastRun) {
    this.#lastRun = lastRun;
    for (const id of ['export-result', 'export-csv']) $(id).disabled = false;
    this.updateCli();
  }

  // The CLI command of the form as it is now (empty while the form is incomplete).
  updateCli() {
    try {
      const input = this.#input;
      $('cli-command').textContent = cliCommand(input.readConfig(), input.readRunOptions(), input.fromFiles);
    } catch {
      $('cli-command').textContent = '';
    }
  }

  #shareLink() {
    const hash = configHash(this.#input.readConfig(), this.#input.readRunOptions());
    history.replaceState(null, '', hash);
    return location.href;
  }
}
