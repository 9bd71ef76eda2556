// "Plan details": for a plan picked by strategy and rank, its 1F1B timeline, its cost terms and its memory
// per stage; with a second plan picked, both side by side on the same scales (stacked on a narrow screen)
// and their differences named. Draws from the plans' "explain" objects (the run asks for them).

import {costLegend, drawCostBar} from './cost-bar.js';
import {node} from './dom.js';
import {drawMemoryBars, memoryLegend, ratioSpan} from './memory-bars.js';
import {planDifferences} from './plan-compare.js';
import {drawTimeline, timelineCaption, timelineOf} from './plan-timeline.js';
import {ms3} from './svg.js';

// A line of coloured swatches naming what the colours of a picture mean.
function legendLine(items) {
  const p = node('p', {className: 'chart-legend'});
  for (const {name, colour, className} of items) {
    const item = node('span');
    const swatch = node('span', {className: `swatch ${className ?? ''}`});
    if (colour) swatch.style.background = colour;
    item.append(swatch, document.createTextNode(name));
    p.append(item);
  }
  return p;
}

const key = (strategy, rank) => `${strategy}:${rank}`;

export class PlanDetails {
  #section;
  #planSelect;
  #compareSelect;
  #differences;
  #views;
  #runs = {};
  #width = 0;
  #onPick;

  // onPick({strategy, rank, plan}) whenever the first plan shown changes (null when there is none).
  constructor(section, onPick = () => {}) {
    this.#section = section;
    this.#onPick = onPick;
    this.#planSelect = section.querySelector('[data-testid=detail-plan]');
    this.#compareSelect = section.querySelector('[data-testid=detail-compare]');
    this.#differences = section.querySelector('[data-testid=differences]');
    this.#views = section.querySelector('[data-testid=detail-views]');
    this.#planSelect.addEventListener('change', () => this.#render());
    this.#compareSelect.addEventListener('change', () => this.#render());
    // The pictures are drawn at their real width: draw again when the space for them changes.
    new ResizeObserver(() => {
      if (this.#views.clientWidth !== this.#width && !this.#section.hidden) this.#render();
    }).observe(this.#views);
  }

  // A run's results ({strategy: R}); the first strategy's best plan is shown, nothing compared.
  show(runs) {
    this.#runs = runs;
    const choices = [];
    for (const [strategy, r] of Object.entries(runs)) {
      r.top.forEach((p, i) => choices.push({value: key(strategy, i + 1),
        text: `${strategy} #${i + 1} · ${ms3(p.cost)} ms`}));
    }
    this.#section.hidden = choices.length === 0;
    const options = (list) => list.map((c) => {
      const o = node('option', {text: c.text});
      o.value = c.value;
      return o;
    });
    this.#planSelect.replaceChildren(...options(choices));
    this.#compareSelect.replaceChildren(...options([{value: '', text: 'nothing'}, ...choices]));
    this.#render();
  }

  // Shows plan `rank` (from 1) of `strategy` as the first plan (a click on a row of the top tables).
  select(strategy, rank) {
    this.#planSelect.value = key(strategy, rank);
    this.#render();
  }

  #pick(value) {
    if (!value) return null;
    const i = value.lastIndexOf(':');
    const strategy = value.slice(0, i);
    const rank = Number(value.slice(i + 1));
    const plan = this.#runs[strategy]?.top[rank - 1];
    return plan ? {strategy, rank, plan, explain: plan.explain} : null;
  }

  #render() {
    const a = this.#pick(this.#planSelect.value);
    const b = this.#pick(this.#compareSelect.value);
    this.#onPick(a);
    this.#views.replaceChildren();
    this.#differences.replaceChildren();
    this.#differences.hidden = true;
    if (!a) return;
    const picked = b ? [a, b] : [a];
    this.#views.classList.toggle('two', picked.length === 2);
    const slots = picked.map((p, i) => {
      const slot = node('div', {className: 'plan-detail', testid: `detail-${'AB'[i]}`});
      this.#views.append(slot);
      return slot;
    });
    this.#width = this.#views.clientWidth;
    const usable = picked.every((p) => p.explain && !p.explain.error);
    // The same scales for both plans, so equal lengths mean equal times.
    const scales = usable ? {
      timeMs: Math.max(...picked.map((p) => {
        const t = timelineOf(p.explain);
        return Math.max(t.makespan, t.modelMs);
      })),
      costMs: Math.max(...picked.map((p) => p.explain.total_ms)),
      memory: Math.max(...picked.map((p) => ratioSpan(p.explain))),
    } : {timeMs: 0, costMs: 0, memory: 0};
    picked.forEach((p, i) => this.#draw(slots[i], p, picked.length === 2 ? 'AB'[i] : '', scales));
    if (b && usable) {
      const diffs = planDifferences(a, b);
      const items = diffs.length ? diffs : ['no difference in the figures shown'];
      this.#differences.append(...items.map((text) => node('li', {text})));
      this.#differences.hidden = false;
    }
  }

  #draw(slot, p, letter, scales) {
    const title = `${letter ? `${letter}: ` : ''}${p.strategy} #${p.rank}, ${ms3(p.plan.cost)} ms`;
    slot.append(node('h4', {text: title}));
    if (!p.explain || p.explain.error) {
      slot.append(node('p', {className: 'error', text: `No explanation for this plan: ${p.explain?.error ??
        'the run did not ask for one'}.`}));
      return;
    }
    const width = Math.max(240, Math.floor(slot.clientWidth));
    const e = p.explain;
    const {svg, timeline} = drawTimeline(e, {width, scaleMs: scales.timeMs});
    slot.append(node('h5', {text: 'Pipeline timeline (1F1B)'}), svg,
        legendLine([{name: 'forward', className: 'fwd'}, {name: 'backward', className: 'bwd'},
          {name: 'idle (bubble)', className: 'idle'}, {name: 'cost model', className: 'model-mark'}]),
        node('p', {className: 'chart-caption', testid: 'timeline-caption', text: timelineCaption(e, timeline)}));
    slot.append(node('h5', {text: 'Cost terms'}), drawCostBar(e, {width, scaleMs: scales.costMs}), costLegend(e));
    slot.append(node('h5', {text: 'Memory per GPU against capacity'}),
        drawMemoryBars(e, {width, span: scales.memory}), legendLine(memoryLegend()),
        node('p', {className: 'chart-caption', text: 'An estimate from the model’s sizes (docs/explain.md); the ' +
          'search checked its own figure, given per stage.'}));
  }
}
