// An SVG drawing of one plan: the pipeline stages as boxes (dp x tp, the layers each holds) over the GPU types
// they run on. Every text comes from user input (type names) and is set with textContent, never parsed.

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const WIDTH = 760;     // px: the drawing's width when its container's is not known yet
const MIN_WIDTH = 320;
const MIN_STAGE = 60;  // px: room for the shortest labels of a stage box
const GAP = 12;
const CHAR_PX = 7.4;   // px: a generous width of one character at the drawing's 13 px (bold titles included)

function el(name, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

// GPUs of each device type in a case: hostfile lines `IP slots=N` (or `IP N`) and the clusterfile's types.
export function gpusByType(caseObj) {
  const counts = new Map();
  const cluster = caseObj?.clusterfile ?? {};
  for (const line of String(caseObj?.hostfile ?? '').split(/\r?\n/)) {
    const m = /^\s*(\S+)\s+(?:slots\s*=\s*)?(\d+)\s*$/.exec(line);
    if (!m || line.trim().startsWith('#')) continue;
    const type = cluster[m[1]]?.instance_type;
    if (typeof type !== 'string') continue;
    counts.set(type, (counts.get(type) ?? 0) + Number(m[2]));
  }
  return counts;
}

// A stable colour per type name, shared by the drawing and its legend.
export function colourOf(types, name) {
  const i = types.indexOf(name);
  return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
}

// Stage i gets a width proportional to its GPUs, but at least MIN_STAGE, so small stages stay readable.
// `width`: the container's; a drawing of so many stages that MIN_STAGE does not fit is wider, and scrolls.
function stageLayout(groups, width) {
  const total = groups.reduce((a, b) => a + b, 0) || 1;
  const free = Math.max(width - GAP * (groups.length - 1), MIN_STAGE * groups.length);
  let widths = groups.map((g) => (free * g) / total);
  const small = widths.map((w) => w < MIN_STAGE);
  const fixed = small.filter(Boolean).length * MIN_STAGE;
  const restGpus = groups.reduce((a, g, i) => a + (small[i] ? 0 : g), 0) || 1;
  widths = groups.map((g, i) => (small[i] ? MIN_STAGE : Math.max(MIN_STAGE, ((free - fixed) * g) / restGpus)));
  const scale = Math.min(1, free / widths.reduce((a, b) => a + b, 0));
  let x = 0;
  return widths.map((w) => {
    const box = {x, w: w * scale};
    x += w * scale + GAP;
    return box;
  });
}

// The longest of a label's wordings (longest first) that fits a box `w` px wide: narrow stages get short
// labels rather than text spilling over their neighbours.
function fitting(w, wordings) {
  return wordings.find((t) => t.length * CHAR_PX + 8 <= w) ?? wordings[wordings.length - 1];
}

// x of GPU number g (0-based, in plan order) under the stage layout: linear inside each stage.
function gpuX(g, groups, boxes) {
  let start = 0;
  for (let i = 0; i < groups.length; i++) {
    if (g <= start + groups[i]) return boxes[i].x + (boxes[i].w * (g - start)) / groups[i];
    start += groups[i];
  }
  const last = boxes[boxes.length - 1];
  return last.x + last.w;
}

// Drawn at the container's width and at real pixel size (never scaled down), so its text stays readable on a
// phone; only a plan too wide for the container even with short labels makes it scroll.
export function drawPlan(container, plan, counts) {
  const groups = plan.device_groups;
  const fit = Math.max(MIN_WIDTH, (container.clientWidth || WIDTH) - 4);
  const boxes = stageLayout(groups, fit);
  const last = boxes[boxes.length - 1];
  const width = Math.max(fit, last.x + last.w);
  const typeNames = [...counts.keys()].sort();
  const svg = el('svg', {viewBox: `-2 -2 ${width + 4} 184`, role: 'img', class: 'plan-svg'});
  svg.style.width = `${Math.round(width + 4)}px`;
  svg.append(el('title', {}, `Pipeline of ${groups.length} stage(s) over ${plan.node_sequence.join(', ')}`));

  // The GPU types in the plan's node order, under the stages that use them.
  let g = 0;
  for (const type of plan.node_sequence) {
    const n = counts.get(type) ?? 0;
    if (n === 0) continue;
    const x0 = gpuX(g, groups, boxes);
    const x1 = gpuX(g + n, groups, boxes);
    svg.append(el('rect', {x: x0, y: 138, width: Math.max(1, x1 - x0), height: 40, rx: 4,
                           fill: colourOf(typeNames, type)}));
    svg.append(el('text', {x: (x0 + x1) / 2, y: 163, class: 'type-label'},
        fitting(x1 - x0, [`${type} × ${n}`, type, `${n}`])));
    g += n;
  }

  groups.forEach((gpus, i) => {
    const {x, w} = boxes[i];
    const [dp, tp] = plan.strategies[i] ?? ['?', '?'];
    const from = plan.layer_partition[i];
    const to = plan.layer_partition[i + 1];
    svg.append(el('rect', {x, y: 0, width: w, height: 112, rx: 6, class: 'stage'}));
    svg.append(el('text', {x: x + w / 2, y: 24, class: 'stage-title'}, fitting(w, [`Stage ${i + 1}`, `S${i + 1}`])));
    svg.append(el('text', {x: x + w / 2, y: 50}, fitting(w, [`dp ${dp} × tp ${tp}`, `${dp}×${tp}`])));
    svg.append(el('text', {x: x + w / 2, y: 72, class: 'muted'},
        fitting(w, [`${gpus} GPU${gpus === 1 ? '' : 's'}`, `${gpus}`])));
    const layers = to - from;
    svg.append(el('text', {x: x + w / 2, y: 96},
        fitting(w, [`layers ${from}–${to - 1} (${layers})`, `layers ${from}–${to - 1}`, `${from}–${to - 1}`])));
    // The GPUs of this stage, down to the type bar.
    svg.append(el('line', {x1: x + 4, y1: 116, x2: x + 4, y2: 134, class: 'bracket'}));
    svg.append(el('line', {x1: x + w - 4, y1: 116, x2: x + w - 4, y2: 134, class: 'bracket'}));
    if (i + 1 < groups.length) {
      const ax = x + w + 2;
      svg.append(el('path', {d: `M${ax} 50 l${GAP - 4} 6 l${-(GAP - 4)} 6 z`, class: 'arrow'}));
    }
  });
  container.replaceChildren(svg);
}
