// Explanations across shards. The core merges shard results without the case, so it cannot explain the
// merged plans and refuses results that carry "explain". With several workers the page therefore takes each
// shard's explanations out of its text before the merge and puts them back into the merged text, verbatim:
// the result is then the same bytes one worker gives (a plan's explanation depends only on the case, the plan
// and the cost model). Works on the core's compact JSON text, never re-serialising a number.

// Index just past the JSON value that starts at text[i] (the core's compact output: no whitespace).
function valueEnd(text, i) {
  const c = text[i];
  if (c === '"') {
    let j = i + 1;
    while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '{' || c === '[') {
    let j = i + 1;
    const close = c === '{' ? '}' : ']';
    while (text[j] !== close) {
      if (c === '{') j = valueEnd(text, j) + 1;  // the key and its colon
      j = valueEnd(text, j);
      if (text[j] === ',') j += 1;
    }
    return j + 1;
  }
  let j = i;
  while (j < text.length && !',}]'.includes(text[j])) j += 1;
  return j;
}

// Calls visit(key, start, end, memberStart) for every object member in text[i..] (memberStart: where its
// key begins) and visitElement(parentKey, start, end) for every array element, depth first.
function walk(text, i, parentKey, on) {
  const c = text[i];
  if (c !== '{' && c !== '[') return;
  let j = i + 1;
  const close = c === '{' ? '}' : ']';
  while (text[j] !== close) {
    let key = parentKey;
    const member = j;
    if (c === '{') {
      const keyEnd = valueEnd(text, j);
      key = JSON.parse(text.slice(j, keyEnd));
      j = keyEnd + 1;
    }
    const end = valueEnd(text, j);
    if (c === '{') on.member?.(key, j, end, member);
    else on.element?.(parentKey, j, end);
    walk(text, j, key, on);
    j = end;
    if (text[j] === ',') j += 1;
  }
}

// The plans of every "top" array: [{start, end}] in text order.
function plans(text) {
  const out = [];
  walk(text, 0, null, {element: (key, start, end) => {
    if (key === 'top') out.push({start, end});
  }});
  return out;
}

// A plan object's text without its "explain" member (the last one the core writes), and that member's value.
function splitPlan(planText) {
  let found = null;
  walk(planText, 0, null, {member: (key, start, end, member) => {
    if (key === 'explain' && found === null && member > 0) found = {start, end, member};
  }});
  if (found === null) return {bare: planText, explain: null};
  // The member and the comma before it (a plan never starts with "explain").
  const bare = planText.slice(0, found.member - 1) + planText.slice(found.end);
  return {bare, explain: planText.slice(found.start, found.end)};
}

// The text with every plan's "explain" member taken out, and a map bare plan text -> explanation text.
export function takeExplanations(text) {
  const found = new Map();
  let out = '';
  let at = 0;
  for (const {start, end} of plans(text)) {
    const {bare, explain} = splitPlan(text.slice(start, end));
    if (explain !== null) found.set(bare, explain);
    out += text.slice(at, start) + bare;
    at = end;
  }
  return {text: out + text.slice(at), explanations: found};
}

// The merged text with each plan's explanation put back as its last member; plans without one stay as they
// are (none should: every merged plan is one shard's).
export function putExplanations(text, explanations) {
  let out = '';
  let at = 0;
  for (const {start, end} of plans(text)) {
    const planText = text.slice(start, end);
    const explain = explanations.get(planText);
    out += text.slice(at, start) + (explain === undefined ? planText :
      `${planText.slice(0, -1)},"explain":${explain}}`);
    at = end;
  }
  return out + text.slice(at);
}
