// The Web Worker that runs the planner, so the page's main thread stays free while a search runs.
// A classic worker: the Emscripten loader (hetplan-core.js) is a classic script that defines createHetplan.
// It knows no operation by name: the page sends the list of operations.js first, and every call is an entry of
// that list (see worker-bridge.js for the page's side).
//
// Messages in:  {type: 'operations', operations} once, first; then {id, op, args, progress} calls.
// Messages out: {type: 'ready'} once the module is loaded, or {type: 'fatal', message} if it cannot load;
//               {type: 'progress', id, event} while a call with progress runs;
//               {type: 'reply', id, text} with the payload's text, or {type: 'reply', id, error, crashed} with
//               the module's error object (crashed: the module trapped, and the page restarts this worker).
'use strict';

importScripts('hetplan-core.js', 'module-reply.js');

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

// Warm-up: the engine optimizes a function only once it has run for a while, so the first search in a fresh
// worker would run on baseline code (docs/performance.md has the figures). Searches of a small built-in case
// right after 'ready' (module.warmUp) bring the hot functions to optimized code before the user's first
// search; a request that comes meanwhile waits about WARM_UP_MS at most.
const WARM_UP_MS = 200;

modulePromise.then(
    (module) => {
      self.postMessage({type: 'ready'});
      setTimeout(() => module.warmUp(WARM_UP_MS), 0);
    },
    (error) => self.postMessage({type: 'fatal', message: `could not load the planner: ${error.message}`}));

let operations = {};

// The module's reply to one call: {text} or {error}. Progress events go out as they come, when asked for.
function call(module, message) {
  const op = Object.hasOwn(operations, message.op) ? operations[message.op] : null;
  if (!op) return {error: {error: `unknown operation ${String(message.op)}`}};
  const args = [...message.args];
  if (op.progress) {
    args.push(message.progress ? (event) => self.postMessage({type: 'progress', id: message.id, event}) : null);
  }
  return readReply(module[op.fn](...args), op.reply);
}

self.onmessage = async (e) => {
  const message = e.data;
  if (message.type === 'operations') {
    operations = message.operations;
    return;
  }
  let reply;
  try {
    reply = call(await modulePromise, message);
  } catch (error) {
    // A trap in the module (out of memory, a bug): an error reply; the page restarts the worker.
    self.postMessage({type: 'reply', id: message.id, error: {error: crashText(error)}, crashed: true});
    return;
  }
  self.postMessage({type: 'reply', id: message.id, ...reply});
};
