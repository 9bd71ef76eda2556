// Share links (the whole form configuration in the URL hash) and the CLI command that reproduces a run.

import {InputError} from './case-files.js';
import {matchingPreset} from './presets.js';

const VERSION = 1;
const MAX_HASH = 16384;

export function configHash(config, run) {
  return `#config=${encodeURIComponent(JSON.stringify({v: VERSION, config, run}))}`;
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// {config, run} from a location hash, or null when the hash holds no configuration. Throws InputError when it
// holds a broken one (the page says so and keeps its defaults).
export function parseConfigHash(hash) {
  const m = /^#config=(.*)$/s.exec(hash ?? '');
  if (!m) return null;
  if (m[1].length > MAX_HASH) throw new InputError('share link: the configuration is too long');
  let data;
  try {
    data = JSON.parse(decodeURIComponent(m[1]));
  } catch {
    throw new InputError('share link: the configuration in the URL is not valid JSON');
  }
  const c = data?.config;
  if (data?.v !== VERSION || !c || !Array.isArray(c.types) || c.types.length === 0 || c.types.length > 8) {
    throw new InputError('share link: not a hetplan configuration (expected version 1 with 1 to 8 GPU types)');
  }
  for (const [i, t] of c.types.entries()) {
    if (typeof t?.name !== 'string' || !['memory', 'intra_bandwidth', 'inter_bandwidth', 'time_factor', 'nodes',
      'gpus_per_node'].every((f) => isNumber(t[f]))) {
      throw new InputError(`share link: GPU type ${i + 1} is incomplete`);
    }
  }
  for (const f of ['layers', 'max_batch_size', 'gbs', 'max_tp', 'max_bs', 'scale_variance', 'max_permute_len',
    'hidden_size', 'sequence_length', 'vocab_size', 'attention_heads']) {
    if (!isNumber(c[f])) throw new InputError(`share link: ${f} is missing or not a number`);
  }
  return {config: c, run: data.run ?? {}};
}

const TABLE_ROW = /^table1-row([1-4])$/;

// The `hetplan` command that reproduces a run. Unedited table rows have their own command, which prints the
// counts and the best plan only: with a top K, and for anything else, the command runs the exported case JSON.
export function cliCommand(config, run, fromFiles) {
  const preset = fromFiles ? null : matchingPreset(config);
  const row = preset ? TABLE_ROW.exec(preset) : null;
  if (row && run.strategy === 'both' && run.cost_model === 'corrected' && run.top === 1) {
    return `hetplan table1 --rows ${row[1]}`;
  }
  return `hetplan plan --case-json case.json --strategy ${run.strategy} --cost-model ${run.cost_model} ` +
         `--top ${run.top}`;
}
