// The files part of the page: files dropped or picked are classified and staged until they make a case, which
// the planner validates before the page uses it. It holds the staged files; the case in use is CaseInput's.

import {caseFromStaging, classifyAll, emptyStaging, filesFromDrop, filesFromInput, formBuildsCluster, InputError,
  missingPieces, stageFiles} from './case-files.js';
import {$} from './dom.js';
import {clusterFromTypes, clusterTypes} from './form-cluster.js';
import {argsOverProfiles, profileFacts} from './profile-facts.js';

function showStaging(staging) {
  const missing = missingPieces(staging);
  let note = missing.length === 0 ? '' : `Still needed for a case: ${missing.join(', ')}.`;
  if (formBuildsCluster(staging)) {
    const alone = staging.hostfile === null ? 'clusterfile' : 'hostfile';
    note = missing.length === 2 ? 'The GPU table gives the cluster of the loaded profiles.' :
      `The GPU table gives the cluster of the loaded profiles until ${missing[0]} is loaded too (the ${alone} ` +
      'alone is not used).';
  }
  $('staging-note').textContent = note;
}

// The case of staged measured profiles and what they say ({caseObj, profiled, formCluster}): args from
// args.json (or a case JSON's args), else from the profiles, else the form's (marked for the user to check).
// Without a loaded hostfile and clusterfile the case has neither: the form's GPU table gives them at each run.
function profiledCase(staging, formArgs) {
  const given = staging.caseJson ?? {hostfile: staging.hostfile, clusterfile: staging.clusterfile,
    profiles: staging.profiles};
  const facts = profileFacts(given.profiles, staging.profileFolder);
  const formCluster = formBuildsCluster(staging);
  const cluster = formCluster ? null : clusterTypes(given.hostfile, given.clusterfile).map((t) => t.name);
  const profiled = {facts, ...argsOverProfiles(facts, staging.caseJson?.args ?? staging.args, formArgs, cluster)};
  const {hostfile, clusterfile, ...rest} = given;
  const caseObj = formCluster ? {...rest, args: profiled.args} : {hostfile, clusterfile, ...rest, args: profiled.args};
  return {caseObj, profiled, formCluster};
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// The case the planner checks for profiles without a cluster: one GPU of the first profiled type, enough for
// the core to read every profile (any error names its file) before the user builds the cluster.
function probeCase(caseObj, facts) {
  const one = {name: facts.types[0]?.name ?? '', nodes: 1, gpus_per_node: 1, memory: 1, intra_bandwidth: 1,
    inter_bandwidth: 1};
  return {...clusterFromTypes([one]), ...caseObj};
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
  // Batches load one after another: each stages onto what the previous one left, so two batches picked in
  // quick succession (hostfile and args.json, then the profiles) make one case whatever order reading ends in.
  #queue = Promise.resolve();

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
  load(files) {
    const next = this.#queue.then(() => this.#loadBatch(files));
    this.#queue = next;
    return next;
  }

  async #loadBatch(files) {
    if (this.#status.busy) {
      this.#status.showError('a search is running: cancel it before loading inputs');
      return;
    }
    this.#status.clearError();
    try {
      const staging = stageFiles(this.#staging, await classifyAll(files));
      const measured = staging.caseJson ? isObject(staging.caseJson.profiles) : staging.profiles !== null;
      if (missingPieces(staging).length > 0 && !formBuildsCluster(staging)) {
        this.#staging = staging;
        showStaging(staging);
        return;
      }
      const {caseObj, profiled = null, formCluster = false} = measured ?
        profiledCase(staging, this.#input.fallbackArgs()) :
        {caseObj: caseFromStaging(staging, this.#input.fallbackArgs())};
      const checked = await this.#validate(formCluster ? probeCase(caseObj, profiled.facts) : caseObj);
      // A probe's summary is of its one-GPU cluster, not the case: the summary says where the cluster is.
      const summary = formCluster ? {cluster: 'the GPU table below'} : checked;
      this.#staging = staging;
      showStaging(staging);
      const loaded = {caseObj, summary, names: staging.names, profiled, formCluster};
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
