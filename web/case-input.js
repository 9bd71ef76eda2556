// The case side of the page: the form or, in its place, the loaded files; the presets; share links read back;
// and the case a run searches. Which input is in use and the last synthetic case live here and nowhere else.

import {$} from './dom.js';
import {refreshCheckNote, showFacts, showLoadedCluster} from './facts-view.js';
import {clusterFromTypes, clusterTypes} from './form-cluster.js';
import {ConfigForm} from './form.js';
import {argsFromConfig, matchingPreset, presetConfig, PRESETS, specFromConfig} from './presets.js';
import {parseConfigHash} from './share.js';

export class CaseInput {
  #form;
  #onChange;
  // While loaded files are in use: {caseObj, summary, names, profiled, formCluster}; profiled: what measured
  // profiles say (profile-facts.js argsOverProfiles) or null; formCluster: the form's GPU table gives the
  // cluster (caseObj has no hostfile and clusterfile then). null: the form's case.
  #loaded = null;
  #formConfig = null; // the form as it was before files were used, back with "Use the form instead"
  #synthCache = null; // {key, caseObj}: generating profiles for an unchanged form is wasted work
  #loads = 0;         // files loaded so far: tells one loaded case from the next in caseKey()

  // onChange() after every change of the form, the preset or the input in use.
  constructor(onChange) {
    this.#onChange = onChange;
    this.#form = new ConfigForm(() => this.#changed());
    $('preset').addEventListener('change', () => {
      if ($('preset').value !== 'custom') this.applyPreset($('preset').value);
    });
  }

  // Whether a run searches the loaded files (with the form's search bounds) rather than the form's case.
  get fromFiles() {
    return this.#loaded !== null;
  }

  get loaded() {
    return this.#loaded;
  }

  readConfig() {
    return this.#form.readConfig();
  }

  readRunOptions() {
    return this.#form.readRunOptions();
  }

  writeRunOptions(run) {
    this.#form.writeRunOptions(run);
  }

  // The form's worker count, or `fallback` when the form's run options are incomplete.
  workers(fallback) {
    try {
      return this.readRunOptions().workers;
    } catch {
      return fallback;
    }
  }

  #changed() {
    let preset = null;
    try {
      // Loaded files are never a preset, whatever the (disabled) cluster fields still hold.
      if (!this.fromFiles) preset = matchingPreset(this.readConfig());
    } catch {
      // an incomplete form matches no preset
    }
    $('preset').value = preset ?? 'custom';
    if (!this.fromFiles) $('preset-note').textContent = PRESETS[preset]?.label ?? 'Your own cluster and model.';
    const profiled = this.#loaded?.profiled;
    if (profiled) refreshCheckNote($('profile-facts'), profiled.args, this.#form.unedited(profiled.toCheck));
    this.#onChange();
  }

  // What a run's results depend on, as text: the form (its bounds only, for loaded files), which files, and
  // the run options but the worker count (the same results on any number of workers). null: incomplete form.
  caseKey() {
    try {
      const run = this.readRunOptions();
      delete run.workers;
      const config = this.readConfig();
      const files = {files: this.#loads, args: argsFromConfig(config)};
      if (this.#loaded?.formCluster) files.types = config.types;
      const input = this.fromFiles ? files : {config};
      return JSON.stringify({input, run});
    } catch {
      return null;
    }
  }

  applyPreset(name) {
    const config = presetConfig(name);
    if (!config) return;
    this.#form.writeConfig(config);
    this.useForm({restore: false});
  }

  // Back to the form's case (the loaded files stay staged in the files part); restore: the form as it was
  // before the files (false when the caller has just written the form).
  useForm({restore = true} = {}) {
    if (restore && this.#loaded) this.#form.writeConfig(this.#formConfig ?? presetConfig('table1-row1'));
    this.#formConfig = null;
    this.#loaded = null;
    this.#form.markToCheck([]);
    $('loaded').hidden = true;
    $('cluster-fields').disabled = false;
    $('cluster-fields').hidden = false;
    $('types-note').hidden = false;
    $('measured-note').hidden = true;
    document.body.classList.remove('files-mode');
    this.#changed();
  }

  // The loaded files' case from now on: its args fill the form's bounds; its cluster, or for measured profiles
  // without one the form's GPU table over the profiled types, replaces the form's.
  useFiles(loaded) {
    if (!this.#loaded) {
      try {
        this.#formConfig = this.readConfig();
      } catch {
        this.#formConfig = null;  // an incomplete form is not worth restoring
      }
      this.#form.forgetEdits();
    }
    this.#loads += 1;
    this.#loaded = loaded;
    $('preset-note').textContent = '';
    document.body.classList.add('files-mode');
    if (loaded.caseObj.args) this.#form.writeArgs(loaded.caseObj.args);
    // The fields to check are those the user has not set since the files came.
    const toCheck = this.#form.markToCheck(loaded.profiled?.toCheck ?? []);
    const profiled = loaded.profiled && {...loaded.profiled, toCheck};
    const cluster = loaded.formCluster ? null : clusterTypes(loaded.caseObj.hostfile, loaded.caseObj.clusterfile);
    if (loaded.formCluster) this.#form.writeMeasuredTypes(profiled.facts.types.map((t) => t.name));
    // A loaded cluster is shown in the loaded box: the GPU table would show other types than the case's.
    $('cluster-fields').disabled = !loaded.formCluster;
    $('cluster-fields').hidden = !loaded.formCluster;
    $('types-note').hidden = loaded.formCluster;
    $('measured-note').hidden = !loaded.formCluster;
    showFacts($('profile-facts'), profiled, cluster?.map((t) => t.name) ?? null);
    showLoadedCluster($('loaded-cluster'), cluster);
    $('loaded').hidden = false;
    this.#changed();
  }

  // The form and run options of a share link in the location hash; false when it holds none. Throws the
  // link's error when it holds a broken one.
  restoreFromHash() {
    const shared = parseConfigHash(location.hash);
    if (!shared) return false;
    this.#form.writeConfig(shared.config);
    this.#form.writeRunOptions(shared.run);
    this.useForm({restore: false});
    return true;
  }

  // The form's args for loaded files that come without args.json, or for the fields args.json lacks (the first
  // preset's when the form is incomplete).
  fallbackArgs() {
    try {
      return argsFromConfig(this.readConfig());
    } catch {
      return argsFromConfig(presetConfig('table1-row1'));
    }
  }

  // The case of a run and the form's configuration: the loaded files with the form's search bounds, or the
  // synthetic case of the form (generated by the planner). tableHostfile: the hostfile written from the GPU
  // table (field-marks.js errorOnForm finds the cell of the module's errors about it), else null.
  async currentCase(planner) {
    const config = this.readConfig();
    if (this.fromFiles) {
      const caseObj = structuredClone(this.#loaded.caseObj);
      const modelName = caseObj.args?.model_name ?? 'GPT';
      caseObj.args = {...caseObj.args, ...argsFromConfig(config, modelName)};
      if (this.#loaded.formCluster) {
        // First in the case JSON, as in a loaded one.
        const cluster = clusterFromTypes(config.types);
        return {caseObj: {...cluster, ...caseObj}, config, tableHostfile: cluster.hostfile};
      }
      return {caseObj, config, tableHostfile: null};
    }
    const spec = specFromConfig(config);
    const key = JSON.stringify(spec);
    if (this.#synthCache?.key !== key) this.#synthCache = {key, caseObj: await planner.synthetic(spec)};
    return {caseObj: this.#synthCache.caseObj, config, tableHostfile: null};
  }
}
