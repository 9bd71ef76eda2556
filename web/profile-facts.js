// What a set of measured profiles says about the model and the GPUs they were measured on, and the args a case
// over them takes from that. No DOM here: the node tests import this module too.
//
// The core reads the same files (core/src/input/parse_profiles.cpp): file names in byte order, the first file
// gives the model-level figures, the layer count is the length of its layer times. The facts follow that order
// so that what the page shows is what the search uses.

const PROFILE_NAME = /^DeviceType\.(.+)_tp([1-9]\d*)_bs([1-9]\d*)\.json$/;

// Model dimensions a profile may carry under "model" (the names of args.json). The measured profiles in use
// today carry none of them; a profiler that writes them is read all the same.
export const DIMENSIONS = ['hidden_size', 'sequence_length', 'vocab_size', 'attention_head_size'];

// {type, tp, bs} of a profile's file name, or null.
export function profileKey(name) {
  const m = PROFILE_NAME.exec(name);
  return m ? {type: m[1], tp: Number(m[2]), bs: Number(m[3])} : null;
}

// Byte order of ASCII names (JavaScript's default sort compares UTF-16 units, the same for these names).
const byteOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const distinct = (list) => [...new Set(list)];

// The facts of profiles ({file name: parsed JSON}); folder: the name of the folder they came in, if any (a
// model name of last resort). Returns {modelName, modelNameFrom ('profiles' | 'folder' | null), modelNames
// (every name the files give), layers, layerCounts, types: [{name, tps: [{tp, bs: [...]}], maxTp, maxBs}],
// dims: {hidden_size, ...} (those present)}.
export function profileFacts(profiles, folder = null) {
  const names = Object.keys(profiles ?? {}).sort(byteOrder);
  const modelNames = [];
  const layerCounts = [];
  const byType = new Map();
  const dims = {};
  for (const name of names) {
    const p = profiles[name];
    const model = p?.model ?? {};
    if (typeof model.model_name === 'string' && model.model_name.trim() !== '') modelNames.push(model.model_name.trim());
    const times = p?.execution_time?.layer_compute_total_ms;
    if (Array.isArray(times)) layerCounts.push(times.length);
    for (const d of DIMENSIONS) {
      if (!(d in dims) && Number.isInteger(model[d]) && model[d] > 0) dims[d] = model[d];
    }
    const key = profileKey(name);
    if (!key) continue;
    if (!byType.has(key.type)) byType.set(key.type, new Map());
    const tps = byType.get(key.type);
    if (!tps.has(key.tp)) tps.set(key.tp, []);
    tps.get(key.tp).push(key.bs);
  }
  const types = [...byType].map(([name, tps]) => {
    const list = [...tps].sort((a, b) => a[0] - b[0]).map(([tp, bs]) => ({tp, bs: bs.sort((a, b) => a - b)}));
    return {
      name,
      tps: list,
      maxTp: Math.max(...list.map((t) => t.tp)),
      maxBs: Math.max(...list.flatMap((t) => t.bs)),
    };
  });
  const fromFiles = distinct(modelNames);
  const folderName = typeof folder === 'string' && folder.trim() !== '' ? folder.trim() : null;
  return {
    modelName: fromFiles[0] ?? folderName,
    modelNameFrom: fromFiles.length > 0 ? 'profiles' : folderName ? 'folder' : null,
    modelNames: fromFiles,
    layers: layerCounts[0] ?? null,
    layerCounts: distinct(layerCounts),
    types,
    dims,
  };
}

// The largest tp and micro-batch the profiles of `typeNames` cover (all profiled types when null or empty).
export function largestCovered(facts, typeNames = null) {
  const wanted = typeNames && typeNames.length > 0 ? new Set(typeNames) : null;
  const types = facts.types.filter((t) => !wanted || wanted.has(t.name));
  if (types.length === 0) return {maxTp: null, maxBs: null};
  return {maxTp: Math.max(...types.map((t) => t.maxTp)), maxBs: Math.max(...types.map((t) => t.maxBs))};
}

// Fields of args a user sets in the form; the rest of args (variance, permute length) are search settings
// with the same meaning for any model, so the form's values are no guess there.
export const MODEL_FIELDS = ['gbs', ...DIMENSIONS];

// The args of a case over loaded profiles and where each field came from. argsFile: the loaded args.json or
// null; formArgs: the form's args (presets.js argsFromConfig); typeNames: the cluster's types, when a loaded
// clusterfile gives them. A field of args.json wins; else what the profiles say; else the form's value, and
// then the field is listed in `toCheck` when it describes the model (the user must look at it).
export function argsOverProfiles(facts, argsFile, formArgs, typeNames = null) {
  const args = {...formArgs};
  const source = {};
  for (const k of Object.keys(args)) source[k] = 'form';
  const {maxTp, maxBs} = largestCovered(facts, typeNames);
  const fromProfiles = {
    model_name: facts.modelName,
    num_layers: facts.layers,
    max_profiled_tp_degree: maxTp,
    max_profiled_batch_size: maxBs,
    ...facts.dims,
  };
  for (const [k, v] of Object.entries(fromProfiles)) {
    if (v === null || v === undefined) continue;
    args[k] = v;
    source[k] = 'profiles';
  }
  for (const [k, v] of Object.entries(argsFile ?? {})) {
    args[k] = v;
    source[k] = 'args.json';
  }
  if (source.model_name !== 'args.json' && !facts.modelName) args.model_name = 'unnamed model';
  return {args, source, toCheck: MODEL_FIELDS.filter((k) => source[k] === 'form')};
}
