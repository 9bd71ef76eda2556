// The "what the files say" box of loaded measured profiles: the model, its layers, the profiled GPU types and
// the (tp, micro-batch) pairs each covers, which args came from the files and which the user must still check,
// and the cluster (the loaded one, or where to build it).

import {node} from './dom.js';
import {DIMENSIONS} from './profile-facts.js';
import {watchOverflow} from './scroll-hint.js';

// The form's labels of args fields.
const LABELS = {
  gbs: 'Global batch', hidden_size: 'Hidden size', sequence_length: 'Sequence length', vocab_size: 'Vocabulary',
  attention_head_size: 'Attention heads', max_profiled_tp_degree: 'Max TP', max_profiled_batch_size: 'Max micro-batch',
  num_layers: 'Layers',
};

// An element of node()'s options with children (text or elements).
function el(tag, options, ...children) {
  const n = node(tag, options);
  n.append(...children);
  return n;
}

const SOURCE_TEXT = {'profiles': 'from the profiles', 'args.json': 'from args.json', 'form': 'the form\'s value'};

function modelLine(facts, args, source) {
  const name = el('strong', {}, args.model_name);
  if (source.model_name === 'args.json') return ['Model: ', name, ' (args.json)'];
  if (facts.modelNameFrom === 'profiles') {
    const others = facts.modelNames.length > 1 ? `; the files name ${facts.modelNames.join(', ')}` : '';
    return ['Model: ', name, ` (the profiles' model name${others})`];
  }
  if (facts.modelNameFrom === 'folder') return ['Model: ', name, ' (the folder\'s name: the profiles give none)'];
  return ['Model: not named in the files'];
}

function layersLine(facts, args, source) {
  if (facts.layerCounts.length > 1) {
    return `Layers: the files differ (${facts.layerCounts.join(', ')} layer times): the planner refuses them`;
  }
  const from = source.num_layers === 'args.json' ? 'args.json' : 'the length of the profiles\' layer times';
  return `Layers: ${args.num_layers} (${from})`;
}

// A table of the profiled types: one row per type, one column per tp, the micro-batch sizes in the cells.
function coverageTable(facts) {
  const tps = [...new Set(facts.types.flatMap((t) => t.tps.map((x) => x.tp)))].sort((a, b) => a - b);
  const head = el('tr', {}, el('th', {}, 'GPU type'), ...tps.map((tp) => el('th', {}, `tp ${tp}`)));
  const rows = facts.types.map((t) => el('tr', {}, el('th', {}, t.name), ...tps.map((tp) => {
    const bs = t.tps.find((x) => x.tp === tp)?.bs;
    return el('td', {}, bs ? bs.join(', ') : '–');
  })));
  const table = el('table', {className: 'coverage', testid: 'profile-coverage'},
      el('caption', {}, 'Micro-batch sizes profiled, per GPU type and tensor-parallel degree'),
      el('thead', {}, head), el('tbody', {}, ...rows));
  return scrolling(table);
}

// A wide table in a box that scrolls sideways on a phone, with the page's caption saying so.
function scrolling(table) {
  const wrap = el('div', {className: 'scroll'}, table);
  requestAnimationFrame(() => watchOverflow(wrap));
  return wrap;
}

function boundsLine(args, source, typeNames) {
  const tp = `Max TP ${args.max_profiled_tp_degree} (${SOURCE_TEXT[source.max_profiled_tp_degree]})`;
  const bs = `max micro-batch ${args.max_profiled_batch_size} (${SOURCE_TEXT[source.max_profiled_batch_size]})`;
  const over = typeNames ? `the cluster's types ${typeNames.join(', ')}` : 'every profiled type';
  let note = source.max_profiled_tp_degree === 'profiles' ? `: the largest the profiles of ${over} cover` : '';
  // Past what a type in use covers, its plans miss profile entries: the run says which.
  if (note && !typeNames) note += ' (lower them when the cluster leaves the largest types out)';
  return `${tp}, ${bs}${note}.`;
}

function dimensionsLine(args, source) {
  const given = DIMENSIONS.filter((d) => source[d] === 'profiles' || source[d] === 'args.json');
  if (given.length === 0) return null;
  return given.map((d) => `${LABELS[d]} ${args[d]} (${SOURCE_TEXT[source[d]]})`).join(', ');
}

function checkLine(args, toCheck) {
  if (toCheck.length === 0) return null;
  const fields = toCheck.map((k) => `${LABELS[k]} (${args[k]})`).join(', ');
  return el('p', {className: 'check-note', testid: 'to-check'},
      el('strong', {}, 'Not in the files, check before a run: '), fields,
      '. These hold the form\'s values, marked in the form until you change them.');
}

// The note of fields to check, shortened to `toCheck` as the user sets them (the values of those left are
// still the loaded ones); gone once none is left.
export function refreshCheckNote(box, args, toCheck) {
  const note = box.querySelector('[data-testid="to-check"]');
  if (!note) return;
  const line = checkLine(args, toCheck);
  if (line) note.replaceWith(line);
  else note.remove();
}

const FORM_CLUSTER = 'no hostfile and clusterfile loaded. Set Nodes, GPUs per node, memory and bandwidths of ' +
    'the types to use in the GPU table below: the page writes the hostfile and clusterfile from it. Load both ' +
    'files to use your own instead.';

// Fills `box` with a loaded cluster per type (form-cluster.js clusterTypes); hides it for null.
export function showLoadedCluster(box, cluster) {
  box.hidden = !cluster;
  if (!cluster) return;
  const head = el('tr', {}, ...['GPU type', 'Nodes', 'GPUs/node', 'Memory GB', 'Intra GB/s', 'Inter GB/s']
      .map((h) => el('th', {}, h)));
  const rows = cluster.map((t) => el('tr', {}, el('th', {}, t.name), el('td', {}, String(t.nodes)),
      el('td', {}, [...new Set(t.gpus)].join(', ')), el('td', {}, String(t.memory)),
      el('td', {}, String(t.intra_bandwidth)), el('td', {}, String(t.inter_bandwidth))));
  box.replaceChildren(scrolling(el('table', {className: 'coverage', testid: 'loaded-cluster'},
      el('caption', {}, 'Cluster (the loaded hostfile and clusterfile)'), el('thead', {}, head),
      el('tbody', {}, ...rows))));
}

// Fills `box` from {facts, args, source, toCheck} (profile-facts.js argsOverProfiles); typeNames: the loaded
// cluster's types, or null when the form's GPU table gives the cluster. profiled null: hides the box.
export function showFacts(box, profiled, typeNames) {
  box.hidden = !profiled;
  if (!profiled) return;
  const {facts, args, source, toCheck} = profiled;
  const formCluster = typeNames ? [] :
    [el('p', {testid: 'cluster-from-form'}, el('strong', {}, 'Cluster: '), FORM_CLUSTER)];
  const items = [
    modelLine(facts, args, source),
    layersLine(facts, args, source),
    `GPU types profiled: ${facts.types.map((t) => t.name).join(', ')}`,
    boundsLine(args, source, typeNames),
    dimensionsLine(args, source),
  ].filter((x) => x !== null).map((x) => el('li', {}, ...[x].flat()));
  box.replaceChildren(el('p', {}, el('strong', {}, 'What the files say')), el('ul', {}, ...items),
      coverageTable(facts), ...[checkLine(args, toCheck)].filter(Boolean), ...formCluster);
}
