// The Web Worker that runs the planner, so the page's main thread stays free while a search runs.
// A classic worker: the Emscripten loader (hetplan-core.js) is a classic script that defines createHetplan.
//
// Messages in:  {id, op: 'validate', caseJson} | {id, op: 'synthetic', specJson}
//               | {id, op: 'run', caseJson, optionsJson} | {id, op: 'merge', resultsJson, optionsJson}
// Messages out: {type: 'ready'} once the module is loaded, or {type: 'fatal', message} if it cannot load;
//               {type: 'progress', id, event} while a search runs;
//               {type: 'reply', id, text} with the module's JSON reply ({"ok": true, ...} or {"ok": false, ...}).
'use strict';

importScripts('hetplan-core.js');

// The page fetches the .wasm itself and hands over the bytes: it controls the request (same origin, one
// fetch) and no loader fallback path logs to the console.
const modulePromise = fetch('hetplan-core.wasm')
    .then((response) => {
      if (!response.ok) throw new Error(`hetplan-core.wasm: HTTP ${response.status}`);
      return response.arrayBuffer();
    })
    .then((bytes) => createHetplan({
      wasmBinary: new Uint8Array(bytes),
      print: () => {},
      printErr: (text) => self.postMessage({type: 'log', text: String(text)}),
    }));

// Warm-up: the engine compiles each function of the module on its first call with a quick baseline compiler,
// and again with its optimizing one only once it has run for a while. In a fresh worker the first search of
// table 1's row 1 took 40-50 ms, the same search twenty runs later under one (docs/performance.md).
// Searches of a small built-in case right after 'ready' (module.warmUp) bring the hot functions to optimized
// code before the user's first search; a request that comes meanwhile waits about WARM_UP_MS at most.
const WARM_UP_MS = 200;

modulePromise.then(
    (module) => {
      self.postMessage({type: 'ready'});
      setTimeout(() => module.warmUp(WARM_UP_MS), 0);
    },
    (error) => self.postMessage({type: 'fatal', message: `could not load the planner: ${error.message}`}));

function errorReply(message) {
  return JSON.stringify({ok: false, error: message});
}

function handle(module, message) {
  switch (message.op) {
    case 'validate':
      return module.validateCase(message.caseJson);
    case 'synthetic':
      return module.syntheticCase(message.specJson);
    case 'run': {
      const progress = (event) => self.postMessage({type: 'progress', id: message.id, event});
      return module.runSearch(message.caseJson, message.optionsJson, progress);
    }
    case 'merge':
      return module.mergeResults(message.resultsJson, message.optionsJson);
    default:
      return errorReply(`unknown operation ${String(message.op)}`);
  }
}

self.onmessage = async (e) => {
  const message = e.data;
  let text;
  try {
    text = handle(await modulePromise, message);
  } catch (error) {
    // A trap in the module (out of memory, a bug): report it as an error reply; the page restarts the worker.
    text = errorReply(`the planner stopped: ${error && error.message ? error.message : String(error)}`);
    self.postMessage({type: 'reply', id: message.id, text, crashed: true});
    return;
  }
  self.postMessage({type: 'reply', id: message.id, text});
};
