// What a sweep needs besides the module: the parameters the page offers, the points handed out to the
// workers, and the module's table split into its two files. The grid, the runs and the table's bytes are the
// module's (sweepPoints, runSearch, sweepTable): the page never rebuilds them. No DOM here: the node tests
// import this module too.

// The parameters offered for a form's configuration: [{path, label, values}], `path` in the grammar of
// `hetplan sweep --vary PATH=VALUES`, `values` a default in the same grammar. Loaded files have a hostfile,
// not node counts per type: their sweeps offer the numbers of args only.
export function sweepParameters(config, fromFiles = false) {
  const params = [
    {path: 'gbs', label: 'global batch', values: '64,128,256'},
    {path: 'layers', label: 'layers', values: '8,12,16'},
    {path: 'args.max_permute_len', label: 'max permute length', values: '16,64,128'},
  ];
  if (fromFiles) return params.filter((p) => p.path !== 'layers');
  for (const t of config?.types ?? []) {
    params.push({path: `types.${t.name}.nodes`, label: `${t.name} nodes`, values: '1..4'});
    params.push({path: `types.${t.name}.memory`, label: `${t.name} memory (GB)`, values: '16,40,80'});
  }
  return params;
}

// The axes as the module reads them (["gbs=64,128", ...]): one per chosen parameter, in order.
export function varyTexts(axes) {
  return axes.filter((a) => a.path).map((a) => `${a.path}=${a.values.replace(/\s+/g, '')}`);
}

// Runs points 0..count-1 on the lanes (one per worker): each lane takes the next point as soon as it is free,
// so a slow point does not hold up the points behind it, and the results land at their point's index. The
// first failure stops the lanes from taking more points and rejects with it. runPoint(lane, index) resolves to
// the point's result; onDone(index, done) after each point, done the number finished so far.
export async function runQueue(lanes, count, runPoint, onDone = () => {}) {
  const results = new Array(count);
  let next = 0;
  let done = 0;
  let failed = false;
  const work = async (lane) => {
    while (!failed && next < count) {
      const index = next++;
      try {
        results[index] = await runPoint(lane, index);
      } catch (error) {
        failed = true;
        throw error;
      }
      done += 1;
      onDone(index, done);
    }
  };
  await Promise.all(lanes.map(work));
  return results;
}

// The module's sweep errors name the axes as `hetplan sweep` takes them ("--vary gbs: ..."); the page names
// its Sweep fields instead. axes: [{path, label, valuesId, paramId}] of the chosen parameters, in order.
// Returns {message, id} (id: the field to mark, or null), or null for an error about something else.
export function sweepErrorOnPage(message, axes) {
  const text = String(message ?? '');
  const axis = (path) => axes.find((a) => a.path === path);
  let m = /^--vary takes PATH=VALUES .*, got '([^=']*)='$/s.exec(text);
  if (m && axis(m[1])) return {message: `${axis(m[1]).label}, values: none given`, id: axis(m[1]).valuesId};
  m = /^--vary: more than ([0-9]+) points$/.exec(text);
  if (m) return {message: `Sweep: more than ${Number(m[1]).toLocaleString('en-US')} points; give fewer values`, id: null};
  // Only the page's second parameter can repeat what the first varies (the page offers no two paths to one
  // number, but may offer one path twice).
  m = /^--vary ([^:]+): .* is varied already by --vary [^;]+;/s.exec(text);
  const later = m ? axes.findLast((a) => a.path === m[1]) : undefined;
  if (later) {
    return {message: `Second parameter (${later.label}): the first parameter varies it already; choose another or none`,
      id: later.paramId};
  }
  m = /^--vary ([^:]+): (.+)$/s.exec(text);
  if (m && axis(m[1])) return {message: `${axis(m[1]).label}, values: ${m[2]}`, id: axis(m[1]).valuesId};
  return null;
}
