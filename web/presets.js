// Presets of the configuration form and the published figures they reproduce. No DOM here: the node tests
// import this module too, so the page and the tests build the very same synthetic cases.

// The GPU types of the published experiments. time_factor scales every time of the measured A100 samples.
const V100 = {name: 'V100', memory: 16, intra_bandwidth: 50, inter_bandwidth: 10, time_factor: 3.5};
const A100 = {name: 'A100', memory: 80, intra_bandwidth: 46, inter_bandwidth: 10, time_factor: 1};
const T4 = {name: 'T4', memory: 15, intra_bandwidth: 50, inter_bandwidth: 10, time_factor: 5};

// Search bounds and model size of the published table (GPT 1.5B arguments).
const TABLE_ARGS = {
  gbs: 128,
  max_tp: 128,
  max_bs: 128,
  scale_variance: 1,
  max_permute_len: 128,
  hidden_size: 4096,
  sequence_length: 1024,
  vocab_size: 51200,
  attention_heads: 32,
};

export const DEFAULT_RUN = {strategy: 'both', cost_model: 'corrected', top: 5};

// The reference's hostfile generator writes every V100 node first, then every A100 node: the type order here
// is the host order of the generated hostfile, which fixes the enumeration and so the step counts.
function tableRow(layers, gpusPerType) {
  const nodes = gpusPerType / 4;
  return {
    ...TABLE_ARGS,
    layers,
    max_batch_size: 128,
    types: [
      {...V100, nodes, gpus_per_node: 4},
      {...A100, nodes, gpus_per_node: 4},
    ],
  };
}

export const PRESETS = {
  'table1-row1': {label: 'Table 1, row 1: 10 layers, 16 A100 + 16 V100', config: tableRow(10, 16)},
  'table1-row2': {label: 'Table 1, row 2: 20 layers, 32 A100 + 32 V100', config: tableRow(20, 32)},
  'table1-row3': {label: 'Table 1, row 3: 20 layers, 64 A100 + 64 V100', config: tableRow(20, 64)},
  'table1-row4': {label: 'Table 1, row 4: 40 layers, 128 A100 + 128 V100', config: tableRow(40, 128)},
  'three-type': {
    label: 'Three types: 8 A100 + 4 V100 + 4 T4, 8 layers',
    config: {
      ...TABLE_ARGS,
      layers: 8,
      max_batch_size: 128,
      types: [
        {...A100, nodes: 2, gpus_per_node: 4},
        {...V100, nodes: 1, gpus_per_node: 4},
        {...T4, nodes: 1, gpus_per_node: 4},
      ],
    },
  },
};

// The published table (USENIX ATC'24), for the "Reproduce the table" view: steps and the paper's wall times
// (Python reference on an M1 laptop).
export const PUBLISHED = {
  1: {layers: 10, gpus: 16, steps: {metis: 612, pruned: 562}, wall_ms: {metis: 95, pruned: 87}},
  2: {layers: 20, gpus: 32, steps: {metis: 58078, pruned: 41208}, wall_ms: {metis: 17100, pruned: 8500}},
  3: {layers: 20, gpus: 64, steps: {metis: 3734, pruned: 3482}, wall_ms: {metis: 860, pruned: 510}},
  4: {layers: 40, gpus: 128, steps: {metis: 1714619, pruned: 1553492}, wall_ms: {metis: 757000, pruned: 408000}},
};

export function presetConfig(name) {
  const p = PRESETS[name];
  return p ? structuredClone(p.config) : null;
}

// The fields of a form configuration that describe the case (not how to search it), in a fixed order, so two
// configurations can be compared by their JSON text.
const CASE_FIELDS = ['layers', 'max_batch_size', 'gbs', 'max_tp', 'max_bs', 'scale_variance', 'max_permute_len',
  'hidden_size', 'sequence_length', 'vocab_size', 'attention_heads'];
const TYPE_FIELDS = ['name', 'memory', 'intra_bandwidth', 'inter_bandwidth', 'time_factor', 'nodes',
  'gpus_per_node'];

export function caseKey(config) {
  const pick = (obj, fields) => fields.map((f) => obj[f]);
  return JSON.stringify([pick(config, CASE_FIELDS), config.types.map((t) => pick(t, TYPE_FIELDS))]);
}

// The preset a configuration equals, or null when it was edited.
export function matchingPreset(config) {
  const key = caseKey(config);
  for (const name of Object.keys(PRESETS)) {
    if (caseKey(PRESETS[name].config) === key) return name;
  }
  return null;
}

// args.json fields (the reference's command-line names) of a configuration.
export function argsFromConfig(config, modelName = 'GPT') {
  return {
    model_name: modelName,
    num_layers: config.layers,
    gbs: config.gbs,
    hidden_size: config.hidden_size,
    sequence_length: config.sequence_length,
    vocab_size: config.vocab_size,
    attention_head_size: config.attention_heads,
    max_profiled_tp_degree: config.max_tp,
    max_profiled_batch_size: config.max_bs,
    min_group_scale_variance: config.scale_variance,
    max_permute_len: config.max_permute_len,
  };
}

// The synthetic spec JSON the core turns into a case (see core/include/hetplan/json_api.hpp).
export function specFromConfig(config) {
  return {
    types: config.types.map((t) => Object.fromEntries(TYPE_FIELDS.map((f) => [f, t[f]]))),
    layers: config.layers,
    max_batch_size: config.max_batch_size,
    args: argsFromConfig(config),
  };
}
