// ESLint's recommended rules over the page's scripts and the JS tests (tests/browser/lint.sh runs it from the
// repository's root). Formatting is left to review: these rules find mistakes, not style.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    rules: {
      'no-unused-vars': ['error', {caughtErrors: 'none'}],
      'eqeqeq': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  // The page's ES modules.
  {files: ['web/**/*.js'], languageOptions: {sourceType: 'module', globals: globals.browser}},
  // The classic scripts of the worker: loaded with importScripts (and module-reply.js by node's require).
  {
    files: ['web/worker.js', 'web/module-reply.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {...globals.worker, createHetplan: 'readonly', readReply: 'readonly', crashText: 'readonly', module: 'readonly'},
    },
  },
  // Tests run in node; Playwright's page.evaluate bodies run in the browser.
  {
    files: ['tests/browser/**/*.mjs', 'tests/wasm/**/*.mjs'],
    languageOptions: {sourceType: 'module', globals: {...globals.node, ...globals.browser}},
  },
];
