// Reading the module's reply text, at the module's boundary (the worker, and the node tests that call the
// module directly): every call returns {"ok":true,"<key>":<payload>} or {"ok":false,"error":...,"kind":...}
// (wasm/src/api.hpp). What leaves here is the payload's text, unchanged, or the error as an object, so nothing
// past the worker reads the module's envelope.
// A classic script: the worker loads it with importScripts beside hetplan-core.js, node with require.
'use strict';

(function expose(scope) {
  // {text} (the payload, byte for byte) or {error: {ok: false, error, kind, ...}}.
  function readReply(replyText, key) {
    const head = `{"ok":true,"${key}":`;
    if (replyText.startsWith(head) && replyText.endsWith('}')) return {text: replyText.slice(head.length, -1)};
    let reply = null;
    try {
      reply = JSON.parse(replyText);
    } catch {
      // not JSON: reported below
    }
    if (reply?.ok === false && typeof reply.error === 'string') return {error: reply};
    return {error: {error: `the planner returned a reply without a ${key}`}};
  }

  // What the page says when the module traps (the worker is restarted after it). Emscripten's abort text asks
  // for a debug build, which nobody using the page can act on; running out of memory is the usual cause.
  function crashText(error) {
    const what = String(error?.message ?? error ?? '').replace(/\s*Build with -s ?ASSERTIONS(=1)? for more info\.?/, '')
        .trim().replace(/\.$/, '');
    return `the planner stopped (${what || 'no reason given'}): most likely it ran out of memory (its ` +
      'WebAssembly memory can grow to 2 GB). The page has restarted it; a smaller case or fewer top plans ' +
      'need less';
  }

  if (typeof module === 'object' && module.exports) module.exports = {readReply, crashText};
  else Object.assign(scope, {readReply, crashText});
})(globalThis);
