// The page: makes its parts and passes between them what each needs. Each part has one job: CaseInput the
// form and the case in use, FilesPanel loading files, RunControl the planner and its runs, the results panel
// the views of a run (with a plan's details and launch configuration), ExportPanel downloads, share links and
// the CLI command, SweepPanel a sweep over one or two parameters, PageStatus the state line.

import {CaseInput} from './case-input.js';
import {ExportPanel} from './export-panel.js';
import {errorOnForm} from './field-marks.js';
import {FilesPanel} from './files-panel.js';
import {PageStatus} from './page-status.js';
import {DEFAULT_RUN} from './presets.js';
import {initResults, showResults} from './results-panel.js';
import {RunControl} from './run-control.js';
import {watchOverflow} from './scroll-hint.js';
import {defaultWorkers, validWorkers} from './shards.js';
import {SweepPanel} from './sweep-panel.js';
import {StaleMark} from './stale-mark.js';

if (new URLSearchParams(location.search).get('embed') === '1') document.body.classList.add('embed');
for (const box of document.querySelectorAll('.scroll')) watchOverflow(box);

const status = new PageStatus();
const stale = new StaleMark();
// Every change of the case or its options: a new CLI command, the workers of a new count loaded ahead, and
// the results on screen marked stale unless they are of this case.
const input = new CaseInput(() => {
  dropLinkError();
  exportPanel.updateCli();
  runControl.preloadWorkers();
  sweepPanel.updateParameters();
  stale.check(input.caseKey());
});
const runControl = new RunControl(status, input, (lastRun) => {
  showResults(lastRun);
  stale.shown(lastRun.key);
  exportPanel.setRun(lastRun);
});
initResults(() => runControl.planner());
const exportPanel = new ExportPanel(input, async () => input.currentCase(await runControl.planner()),
    (e) => status.showError(errorOnForm(e).message));
new FilesPanel(status, input, () => runControl.planner(), () => stale.loadFailed());
const sweepPanel = new SweepPanel(status, input, () => runControl.planner());

// The share link the form was last filled from. A glossary link changes the hash too, and Back from there
// comes to this link again: the form keeps what the user changed since, rather than the link's values.
let appliedHash = null;
// A broken link's error, shown until the form changes: then it is about values no longer on screen.
let linkError = null;

function dropLinkError() {
  if (linkError !== null) status.clearError(linkError);
  linkError = null;
}

function restoreFromHash() {
  if (location.hash === appliedHash) return false;
  try {
    const restored = input.restoreFromHash();
    if (restored) appliedHash = location.hash;
    return restored;
  } catch (e) {
    status.showError(e.message);
    linkError = e.message;
    return false;
  }
}

window.addEventListener('hashchange', restoreFromHash);
input.writeRunOptions({...DEFAULT_RUN, workers: defaultWorkers()});
if (!restoreFromHash()) {
  const brokenLink = linkError;
  linkError = null;
  input.applyPreset('table1-row1');
  linkError = brokenLink;  // the defaults replacing a broken link keep its error on screen
}
// ?workers=N (links, tests) wins over the default and a share link's count.
const workers = Number(new URLSearchParams(location.search).get('workers'));
if (validWorkers(workers)) input.writeRunOptions({workers});
runControl.start(input.workers(1));
status.setState('idle');
