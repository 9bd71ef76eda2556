// Shared by the node tests: where things are, loading the WebAssembly module, reading a golden case folder.
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
// The site folder of a WASM build: HETPLAN_WEB_DIR, else build-wasm/web of the repository.
export const webDir = path.resolve(process.env.HETPLAN_WEB_DIR ?? path.join(repoRoot, 'build-wasm', 'web'));
export const goldenDir = path.resolve(repoRoot, '..', 'shared', 'golden');
// Measured profiles, one folder per model (absent in a user's clone: the tests that read them skip).
export const realProfilesDir = path.resolve(repoRoot, '..', 'shared', 'real-profiles');

// Node 20's fetch cannot read a file path, so the loader gets the bytes directly.
export async function loadModule() {
  const loader = path.join(webDir, 'hetplan-core.js');
  if (!fs.existsSync(loader)) {
    throw new Error(`${loader} not found: build the WASM first (emcmake cmake -S . -B build-wasm && ` +
                    'cmake --build build-wasm), or set HETPLAN_WEB_DIR');
  }
  const createHetplan = createRequire(import.meta.url)(loader);
  return createHetplan({wasmBinary: fs.readFileSync(path.join(webDir, 'hetplan-core.wasm'))});
}

// Imports one of the page's ES modules (those without DOM work) from the build's site folder.
export function importWeb(name) {
  return import(path.join(webDir, name));
}

// The page's reader of the module's replies (web/module-reply.js, a classic script): {text} or {error}.
export function readReply(replyText, key) {
  return createRequire(import.meta.url)(path.join(webDir, 'module-reply.js')).readReply(replyText, key);
}

// The page's words for a module that trapped (web/module-reply.js).
export function crashText(error) {
  return createRequire(import.meta.url)(path.join(webDir, 'module-reply.js')).crashText(error);
}

// The result text of a run's or a merge's reply, byte for byte, read as the page's worker reads it; throws the
// module's error when the reply is one.
export function resultText(replyText) {
  const {text, error} = readReply(replyText, 'result');
  if (error) throw new Error(error.error);
  return text;
}

export function reply(text) {
  const j = JSON.parse(text);
  return j;
}

// The case JSON object of a golden folder (hostfile, clusterfile.json, args.json, profiles/ or synthetic.json).
// useSynthetic picks synthetic.json when a folder holds both.
export function caseFromFolder(dir, {useSynthetic = false} = {}) {
  const read = (name) => fs.readFileSync(path.join(dir, name), 'utf8');
  const c = {
    hostfile: read('hostfile'),
    clusterfile: JSON.parse(read('clusterfile.json')),
  };
  const profilesDir = path.join(dir, 'profiles');
  const hasProfiles = fs.existsSync(profilesDir);
  if (hasProfiles && !(useSynthetic && fs.existsSync(path.join(dir, 'synthetic.json')))) {
    c.profiles = {};
    for (const name of fs.readdirSync(profilesDir).sort()) {
      c.profiles[name] = JSON.parse(fs.readFileSync(path.join(profilesDir, name), 'utf8'));
    }
  } else {
    // {"layers", "max_batch_size"}: the reference generator's files, A100 x1 and V100 x3.5 (the default types).
    c.synthetic = JSON.parse(read('synthetic.json'));
  }
  c.args = JSON.parse(read('args.json'));
  return c;
}

// The files of a folder as the page's loader sees them: [{path, text}], profiles one level down.
export function folderFiles(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else out.push({path: `${rel}${name}`, text: fs.readFileSync(full, 'utf8')});
    }
  };
  walk(dir, `${path.basename(dir)}/`);
  return out;
}

// Result text with every "elapsed_ms":<number> removed: the only field allowed to differ between runs.
export function withoutElapsed(text) {
  return text.replace(/"elapsed_ms":-?[0-9.eE+-]+,?/g, '').trim();
}

// The case JSON text of one of the page's presets, made by the module (m) from presets.js's spec.
export function presetCaseJson(m, presets, name) {
  const r = reply(m.syntheticCase(JSON.stringify(presets.specFromConfig(presets.PRESETS[name].config))));
  if (!r.ok) throw new Error(`preset ${name}: ${r.error}`);
  return JSON.stringify(r.case);
}
