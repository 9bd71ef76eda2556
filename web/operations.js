// The module's calls that the page makes, in one list. The worker and the page's side of the bridge are both
// built from it: a new call of the module is one entry here (and its binding in wasm/src/bindings.cpp), with
// no switch to extend in worker.js and no message format to invent.
//
// Each entry: fn, the module's function; args, the names of its text arguments, in order; reply, the key of
// the payload in the module's success reply ({"ok":true,"<reply>":...}, wasm/src/api.hpp); progress, whether
// the function takes a progress callback after its arguments. Every call resolves to the payload's text as the
// module wrote it (results keep the module's bytes; JSON.parse and stringify would reformat numbers).
export const OPERATIONS = Object.freeze({
  validate: {fn: 'validateCase', args: ['caseJson'], reply: 'summary', progress: false},
  synthetic: {fn: 'syntheticCase', args: ['specJson'], reply: 'case', progress: false},
  run: {fn: 'runSearch', args: ['caseJson', 'optionsJson'], reply: 'result', progress: true},
  exportPlan: {fn: 'exportPlan', args: ['caseJson', 'planJson', 'optionsJson'], reply: 'export', progress: false},
  sweepPoints: {fn: 'sweepPoints', args: ['baseJson', 'varyJson'], reply: 'points', progress: false},
  sweepTable: {fn: 'sweepTable', args: ['varyJson', 'optionsJson', 'resultsJson'], reply: 'table', progress: false},
  merge: {fn: 'mergeResults', args: ['resultsJson', 'optionsJson', 'caseJson'], reply: 'result', progress: false},
  mergeSoFar: {fn: 'mergeSoFar', args: ['resultsJson', 'optionsJson', 'caseJson'], reply: 'result', progress: false},
});
