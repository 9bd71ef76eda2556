// Why a run found few or no plans: the core's reasons (the same sentences the CLI prints as notes), the
// case's notes, and the missing profile entries. Texts hold user-given names: set with textContent only.

// How many missing keys to list before "and N more"; measured profile folders can lack hundreds.
const KEYS_SHOWN = 24;

function item(text, strategies, all) {
  const li = document.createElement('li');
  li.textContent = strategies.length === all ? text : `${strategies.join(', ')}: ${text}`;
  return li;
}

// Lines of every strategy, each text once (with the strategies that gave it when not all did), in order.
function collect(runs, linesOf) {
  const seen = new Map();
  for (const [strategy, r] of Object.entries(runs)) {
    for (const line of linesOf(r)) {
      const key = `${line.code}\u0000${line.text}`;
      if (!seen.has(key)) seen.set(key, {...line, strategies: []});
      seen.get(key).strategies.push(strategy);
    }
  }
  return [...seen.values()];
}

function missingKeysText(runs) {
  const keys = new Set();
  for (const r of Object.values(runs)) for (const k of r.missing_profile_keys ?? []) keys.add(k);
  if (keys.size === 0) return '';
  const list = [...keys].sort();
  const shown = list.slice(0, KEYS_SHOWN).join(', ');
  const more = list.length > KEYS_SHOWN ? `, and ${list.length - KEYS_SHOWN} more` : '';
  return `Missing profile entries (${list.length}): ${shown}${more}.`;
}

// Fills the section (hidden when there is nothing to say) and returns whether any run found no plan.
export function renderReasons(section, list, keysLine, runs) {
  const all = Object.keys(runs).length;
  const lines = collect(runs, (r) => [
    ...(r.notes ?? []).map((text) => ({code: 'case_note', text})),
    ...(r.reasons ?? []),
  ]);
  list.replaceChildren(...lines.map((l) => {
    const li = item(l.text, l.strategies, all);
    li.dataset.code = l.code;
    return li;
  }));
  keysLine.textContent = missingKeysText(runs);
  keysLine.hidden = keysLine.textContent === '';
  section.hidden = lines.length === 0 && keysLine.hidden;
  return Object.values(runs).some((r) => r.no_plan);
}
