// Turning files the user drops or picks into a case JSON (the format of core/include/hetplan/json_api.hpp).
// Classification is by name first, then by content; the core checks every field afterwards. Everything here
// runs in the browser; nothing is uploaded.

const PROFILE_NAME = /^DeviceType\..+\.json$/;
const MAX_FILE_BYTES = 64 * 1024 * 1024;  // a profile is a few kB; anything this large is not an input

export class InputError extends Error {}

const pathParts = (path) => String(path).split(/[\\/]/);

export function baseName(path) {
  const parts = pathParts(path);
  return parts[parts.length - 1];
}

// The folder a file came in ("OPT-350" of "OPT-350/DeviceType.A100_tp1_bs1.json"), null for a single file. A
// case folder's "profiles" says nothing about the model, so it does not count.
function folderName(path) {
  const parts = pathParts(path);
  const folder = parts.length > 1 ? parts[parts.length - 2] : '';
  return folder === '' || folder === 'profiles' ? null : folder;
}

function parseJson(name, text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${name}: not valid JSON (${e.message})`);
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function looksLikeClusterfile(v) {
  const entries = Object.values(v);
  return entries.length > 0 && entries.every((e) => isObject(e) && 'instance_type' in e);
}

// A hostfile line: `IP slots=N` or `IP N`; blank lines and # comments are allowed.
const HOST_LINE = /^\s*\S+\s+(slots\s*=\s*)?\d+\s*$/;
const SKIP_LINE = /^\s*(#.*)?$/;

function hostfileProblem(text) {
  const lines = text.split(/\r?\n/);
  let hosts = 0;
  for (let i = 0; i < lines.length; i++) {
    if (SKIP_LINE.test(lines[i])) continue;
    if (!HOST_LINE.test(lines[i])) return `line ${i + 1}: expected "IP slots=N", got "${lines[i].slice(0, 60)}"`;
    hosts++;
  }
  return hosts === 0 ? 'no host lines (expected "IP slots=N" lines)' : null;
}

// What one file is: {kind, name, value}. kind is profile, hostfile, clusterfile, args, synthetic, case or
// ignored (files of a case folder that are not inputs, such as expected.json, when they come in a folder).
export function classifyFile(path, text, {inFolder = false} = {}) {
  const name = baseName(path);
  if (text.length > MAX_FILE_BYTES) throw new InputError(`${name}: too large to be an input file`);
  if (PROFILE_NAME.test(name)) {
    const value = parseJson(name, text);
    if (!isObject(value)) throw new InputError(`${name}: expected a JSON object (a profile)`);
    return {kind: 'profile', name, value, folder: folderName(path)};
  }
  if (/\.json$/i.test(name)) {
    const value = parseJson(name, text);
    if (!isObject(value)) throw new InputError(`${name}: expected a JSON object`);
    if (typeof value.hostfile === 'string') return {kind: 'case', name, value};
    if (name === 'args.json' || 'num_layers' in value || 'gbs' in value) return {kind: 'args', name, value};
    if (name === 'synthetic.json' || ('layers' in value && 'max_batch_size' in value)) {
      return {kind: 'synthetic', name, value};
    }
    if (looksLikeClusterfile(value)) return {kind: 'clusterfile', name, value};
    if (inFolder) return {kind: 'ignored', name};
    throw new InputError(`${name}: not a recognised input (expected a case JSON, a clusterfile, args.json, ` +
                         'synthetic.json or a DeviceType.<TYPE>_tp<T>_bs<B>.json profile)');
  }
  const problem = hostfileProblem(text);
  if (problem === null) return {kind: 'hostfile', name, value: text};
  if (/host/i.test(name)) throw new InputError(`${name}: not a hostfile: ${problem}`);
  if (inFolder) return {kind: 'ignored', name};
  throw new InputError(`${name}: not a recognised input (a hostfile has lines "IP slots=N"; JSON inputs end ` +
                       'in .json)');
}

// The inputs gathered so far. Each batch of files replaces the pieces it brings (a new profile folder replaces
// all profiles) and keeps the others, so a folder, a hostfile and a clusterfile can come in separate drops.
export function emptyStaging() {
  return {caseJson: null, hostfile: null, clusterfile: null, profiles: null, profileFolder: null, synthetic: null,
          args: null, names: {}};
}

export function stageFiles(previous, classified) {
  const next = structuredClone(previous);
  const cases = classified.filter((f) => f.kind === 'case');
  if (cases.length > 1) throw new InputError('more than one case JSON at once: drop one');
  if (cases.length === 1) {
    const others = classified.filter((f) => f.kind !== 'case' && f.kind !== 'ignored');
    if (others.length > 0) {
      throw new InputError(`${cases[0].name} is a whole case: drop it alone (not with ${others[0].name})`);
    }
    const s = emptyStaging();
    s.caseJson = cases[0].value;
    s.names.case = [cases[0].name];
    return s;
  }
  next.caseJson = null;
  delete next.names.case;
  const profiles = classified.filter((f) => f.kind === 'profile');
  if (profiles.length > 0) {
    next.profiles = {};
    for (const p of profiles) {
      if (p.name in next.profiles) throw new InputError(`${p.name}: given twice`);
      next.profiles[p.name] = p.value;
    }
    next.profileFolder = profiles.find((p) => p.folder)?.folder ?? null;
    next.synthetic = null;
    next.names.profiles = profiles.map((p) => p.name).sort();
    delete next.names.synthetic;
  }
  for (const kind of ['hostfile', 'clusterfile', 'args', 'synthetic']) {
    const files = classified.filter((f) => f.kind === kind);
    if (files.length > 1) throw new InputError(`two ${kind} files at once: ${files[0].name} and ${files[1].name}`);
    if (files.length === 1) {
      next[kind] = files[0].value;
      next.names[kind] = [files[0].name];
      if (kind === 'synthetic') {
        next.profiles = null;
        next.profileFolder = null;
        delete next.names.profiles;
      }
    }
  }
  return next;
}

// What is still needed before the staged files make a case.
export function missingPieces(s) {
  if (s.caseJson) return [];
  const missing = [];
  if (s.hostfile === null) missing.push('a hostfile');
  if (s.clusterfile === null) missing.push('a clusterfile');
  if (s.profiles === null && s.synthetic === null) missing.push('a profile folder (DeviceType.*.json)');
  return missing;
}

// Whether the staged files are measured profiles without a hostfile and a clusterfile both: the form's GPU table
// then gives the cluster (a lone hostfile or clusterfile waits for the other).
export function formBuildsCluster(s) {
  return !s.caseJson && s.profiles !== null && (s.hostfile === null || s.clusterfile === null);
}

// The number of layers the profiles describe (for args when no args.json came with them).
function profileLayers(profiles) {
  for (const p of Object.values(profiles ?? {})) {
    const n = p?.model?.num_layers;
    if (Number.isInteger(n)) return n;
  }
  return null;
}

// The case JSON object of complete staged inputs; fallbackArgs (from the form) fill in a missing args.json.
export function caseFromStaging(s, fallbackArgs) {
  if (s.caseJson) return s.caseJson;
  const args = s.args ?? {...fallbackArgs};
  if (!s.args) {
    const layers = s.synthetic?.layers ?? profileLayers(s.profiles);
    if (Number.isInteger(layers)) args.num_layers = layers;
  }
  const c = {hostfile: s.hostfile, clusterfile: s.clusterfile};
  if (s.profiles) c.profiles = s.profiles;
  else c.synthetic = s.synthetic;
  c.args = args;
  return c;
}

// Reading files in the browser -------------------------------------------------------------------------------

function readEntry(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readAllEntries(reader) {
  // readEntries returns at most about a hundred entries a call: read until it returns none.
  return new Promise((resolve, reject) => {
    const all = [];
    const step = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(all);
      else {
        all.push(...batch);
        step();
      }
    }, reject);
    step();
  });
}

async function walk(entry, path, out, depth) {
  if (entry.isFile) {
    out.push({path: path + entry.name, file: await readEntry(entry), inFolder: depth > 0});
  } else if (entry.isDirectory && depth < 3) {
    const children = await readAllEntries(entry.createReader());
    for (const child of children) await walk(child, `${path}${entry.name}/`, out, depth + 1);
  }
}

// Files of a drop, folders walked (a case folder holds profiles/ one level down).
export async function filesFromDrop(dataTransfer) {
  const entries = [...dataTransfer.items]
      .filter((item) => item.kind === 'file')
      .map((item) => item.webkitGetAsEntry?.())
      .filter(Boolean);
  if (entries.length === 0) {
    return [...dataTransfer.files].map((file) => ({path: file.name, file, inFolder: false}));
  }
  const out = [];
  for (const entry of entries) await walk(entry, '', out, 0);
  return out;
}

// Files of an <input type=file> (with webkitdirectory the relative paths say they came in a folder).
export function filesFromInput(fileList) {
  return [...fileList].map((file) => ({
    path: file.webkitRelativePath || file.name,
    file,
    inFolder: Boolean(file.webkitRelativePath),
  }));
}

export async function classifyAll(files) {
  const out = [];
  for (const {path, file, inFolder} of files) {
    if (inFolder && baseName(path).startsWith('.')) continue;  // .DS_Store and the like
    out.push(classifyFile(path, await file.text(), {inFolder}));
  }
  if (out.every((f) => f.kind === 'ignored')) throw new InputError('no input files found in what was dropped');
  return out;
}
