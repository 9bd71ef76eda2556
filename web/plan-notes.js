// What the top tables say about plans beside their figures: the plans no framework launches as they are (the
// core's launch warnings) and the plans met twice by the reference's enumeration (shown once). The same rules
// as the CLI's tables (native/report.cpp), so both faces fold and flag the same rows. No DOM here.

const sameList = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function samePlan(a, b) {
  return a.cost === b.cost && sameList(a.node_sequence, b.node_sequence) &&
    sameList(a.device_groups, b.device_groups) && sameList(a.strategies, b.strategies) &&
    a.batches === b.batches && sameList(a.layer_partition, b.layer_partition);
}

// The reference's enumeration labels some plans of several device groups "1 stage".
const relabelled = (p) => p.num_stage !== p.device_groups.length;

// For each plan, the index of the plan it repeats, or -1: a relabelled plan with a twin under its true label.
// The counts stay as they are (the search met both); only the table shows the pair once.
export function twinsOf(plans) {
  return plans.map((p) => (relabelled(p) ? plans.findIndex((q) => q !== p && !relabelled(q) && samePlan(p, q)) : -1));
}

// The rows of a top table: {plan, index, rank, note} for each plan shown. rank is "4" or "4=5" for a pair
// shown once; note says why a pair is one row.
export function foldedRows(plans) {
  const twin = twinsOf(plans);
  const rows = [];
  plans.forEach((plan, i) => {
    if (twin[i] >= 0) return;
    const j = twin.indexOf(i);
    if (j < 0) {
      rows.push({plan, index: i, rank: String(i + 1), note: null});
      return;
    }
    const rank = `${Math.min(i, j) + 1}=${Math.max(i, j) + 1}`;
    rows.push({plan, index: i, rank, note: `${rank}: the same plan, found twice by the reference's enumeration ` +
      `(once labelled ${plans[j].num_stage} stage): counted twice, shown once.`});
  });
  return rows;
}

// Why a plan cannot be launched as it is, one sentence, or null: the core's warnings joined.
export function launchWarning(plan) {
  const warnings = plan.warnings ?? [];
  if (warnings.length === 0) return null;
  return `no framework launches it as it is: ${warnings.map((w) => w.message ?? w.text).join('; ')}.`;
}
