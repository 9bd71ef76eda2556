// The results part of the page: a finished run's comparison, gaps to the optimum, top-K tables, reasons, the
// drawing of the plan picked (the best one at first) and its details (timeline, cost terms, memory).

import {$} from './dom.js';
import {LaunchExport} from './launch-export.js';
import {PlanDetails} from './plan-details.js';
import {drawPlan, gpusByType} from './plan-view.js';
import {renderReasons} from './reasons.js';
import {formatCost, grouped, renderComparison, renderGaps, renderTopTables, stagesText} from './results.js';
import {watchOverflow} from './scroll-hint.js';

function showPlan(strategy, plan, caseObj) {
  drawPlan($('plan-drawing'), plan, gpusByType(caseObj));
  // A plan of many stages on a phone is wider than the screen: its figure scrolls, and says so.
  watchOverflow($('plan-drawing').parentElement);
  $('plan-caption').textContent = `${strategy}: cost ${formatCost(plan.cost)} ms per iteration, ` +
      `${plan.device_groups.length} stage(s) over ${plan.node_sequence.join(' → ')}, ${plan.batches} ` +
      `micro-batch(es), dp×tp ${stagesText(plan)}`;
}

// The best plan over the strategies run (ties: the first strategy), or null when none has a plan.
function bestPlan(runs) {
  let best = null;
  for (const [strategy, r] of Object.entries(runs)) {
    if (r.top[0] && (!best || r.top[0].cost < best.plan.cost)) best = {strategy, plan: r.top[0]};
  }
  return best;
}

// The run shown, and the launch configuration of the plan picked in the details.
let shownCase = null;
let launch = null;

// getPlanner: the planner's promise (the launch configuration asks the module for it).
export function initResults(getPlanner) {
  launch = new LaunchExport($('launch-section'), getPlanner);
}

// Made on first use: its ResizeObserver needs the section in the DOM.
let details = null;
const planDetails = () => (details ??= new PlanDetails($('plan-details-section'),
    (pick) => launch?.show(shownCase, pick?.plan, pick ? `${pick.strategy}-${pick.rank}` : '')));

// What a cancelled run's plans are: the best of what it had searched, in words a user can weigh.
function cancelledText(runs) {
  const parts = Object.entries(runs).map(([strategy, r]) =>
    `${strategy} ${r.cancelled ? `stopped, its top as of step ${grouped.format(r.count)}, its last change` :
      'had finished'}`);
  return `Cancelled: these are the best plans found before Cancel (${parts.join('; ')}). A search that ` +
    'finishes may find cheaper ones.';
}

// Shows a run: {runs (results by strategy), caseObj (its case, for the drawing), cancelled (the plans are
// those a cancelled run had found)}.
export function showResults({runs, caseObj, cancelled = false}) {
  shownCase = caseObj;
  $('results').hidden = false;
  $('cancelled-note').hidden = !cancelled;
  $('cancelled-note').textContent = cancelled ? cancelledText(runs) : '';
  const both = runs.metis && runs.pruned;
  $('comparison-section').hidden = !both;
  if (both) renderComparison($('comparison'), runs);
  $('gaps-section').hidden = !renderGaps($('gaps'), runs);
  planDetails().show(runs);
  renderTopTables($('top-tables'), runs, (strategy, plan, tr) => {
    for (const other of $('top-tables').querySelectorAll('tr.selected')) other.classList.remove('selected');
    tr.classList.add('selected');
    showPlan(strategy, plan, caseObj);
    planDetails().select(strategy, runs[strategy].top.indexOf(plan) + 1);
  });
  const noPlan = renderReasons($('reasons-section'), $('reasons-list'), $('missing-keys'), runs);
  const best = bestPlan(runs);
  if (best) {
    showPlan(best.strategy, best.plan, caseObj);
  } else {
    $('plan-drawing').replaceChildren();
    $('plan-caption').textContent = noPlan ? 'The search found no plan (see “Why” above): nothing to draw.' :
      'No plan got a cost (see “Why” above), so there is nothing to draw.';
  }
}
