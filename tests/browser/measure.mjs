// Measures the page, not a test: page weight (wasm + js + css, raw and gzip), load time until the planner is
// ready, the first searches of a fresh page, and the search time of rows 1-3 of the published table in
// headless Chromium with 1 and more Web Workers (HETPLAN_WORKERS, default "1,2"), beside the native CLI's
// (HETPLAN_BIN, one thread unless HETPLAN_NATIVE_ARGS says otherwise) on the same case JSON. Medians of several runs after one warm-up run.
// The page's figures are per strategy, each its own plan() call: "search" is the result's elapsed_ms (the
// longest worker's search), "wall" the whole call as a script sees it (messages and the merge included).
//
// HETPLAN_PAGE_TRIALS=T has the page run each search T times and report the mean (the option trials, as the
// native CLI's --trials): warm against warm when the native side is a mean too. "wall" then covers all T.
//
// Usage: node measure.mjs WEB_DIR [RUNS]      e.g. HETPLAN_BIN=build/native/hetplan node measure.mjs build-wasm/web
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import {chromium} from '@playwright/test';

const webDir = path.resolve(process.argv[2] ?? '../../build-wasm/web');
const runs = Number(process.argv[3] ?? 5);
const bin = process.env.HETPLAN_BIN;
const pageTrials = Number(process.env.HETPLAN_PAGE_TRIALS ?? 1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// A static server on localhost. HETPLAN_ISOLATED=1 adds the headers that make the page cross-origin isolated,
// where Chromium's clock has 5 us steps instead of 100 us (a hosted page usually cannot send them: the default
// measures the page as it is usually served).
async function serve() {
  const isolated = process.env.HETPLAN_ISOLATED === '1';
  const types = {'.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
    '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json'};
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://localhost').pathname).replace(/^\/+/, '') ||
        'index.html';
    const file = path.join(webDir, name);
    if (!file.startsWith(webDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const headers = {'content-type': types[path.extname(file)] ?? 'application/octet-stream'};
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers);
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, url: `http://127.0.0.1:${server.address().port}/`};
}

function weight(loaded) {
  const rows = [];
  for (const name of [...loaded].sort()) {
    const bytes = fs.readFileSync(path.join(webDir, name));
    rows.push({name, raw: bytes.length, gzip: zlib.gzipSync(bytes, {level: 9}).length});
  }
  const sum = (pred, key) => rows.filter(pred).reduce((a, r) => a + r[key], 0);
  const kinds = {wasm: (r) => r.name.endsWith('.wasm'), js: (r) => r.name.endsWith('.js'),
    css: (r) => r.name.endsWith('.css'), all: () => true};
  const totals = Object.fromEntries(Object.entries(kinds).map(([k, p]) => [k, {raw: sum(p, 'raw'),
    gzip: sum(p, 'gzip')}]));
  return {rows, totals};
}

const {server, url} = await serve();
const browser = await chromium.launch({
  executablePath: process.env.HETPLAN_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync'],
});
try {
  // Load time: fresh context each time (nothing cached), until the WebAssembly module is ready in the worker.
  const loads = [];
  const loaded = new Set();
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    context.on('response', (r) => loaded.add(decodeURIComponent(new URL(r.url()).pathname.slice(1)) || 'index.html'));
    await page.goto(url);
    await page.locator('html[data-planner="ready"]').waitFor();
    loads.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
        ready: performance.getEntriesByName('hetplan-ready')[0].startTime};
    }));
    await context.close();
  }
  const w = weight(loaded);

  // The first searches of a fresh page, as a user who opens it and runs row 1 half a second later sees them:
  // the engine optimizes the module's functions only once they have run for a while (the worker's warm-up
  // is there for that).
  const firsts = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('html[data-planner="ready"]').waitFor();
    firsts.push(await page.evaluate(async () => {
      const {createPlanner} = await import('./hetplan.js');
      const {PRESETS, specFromConfig} = await import('./presets.js');
      const planner = await createPlanner({workers: 1});
      const caseObj = await planner.synthetic(specFromConfig(PRESETS['table1-row1'].config));
      await new Promise((r) => setTimeout(r, 500));
      const times = [];
      for (let k = 0; k < 3; k++) times.push((await planner.plan(caseObj, {strategy: 'metis', top: 1})).elapsed_ms);
      planner.close();
      return times;
    }));
    await context.close();
  }

  // Search times: the page's documented module and the native CLI on the same case JSON, alternated run by
  // run so that a busy machine slows both alike.
  const workerCounts = (process.env.HETPLAN_WORKERS ?? '1,2').split(',').map(Number);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('html[data-planner="ready"]').waitFor();
  const isolated = await page.evaluate(() => self.crossOriginIsolated);
  await page.evaluate(async (counts) => {
    const {createPlanner} = await import('./hetplan.js');
    window.measurePlanners = {};
    for (const n of counts) window.measurePlanners[n] = await createPlanner({workers: n});
  }, workerCounts);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hetplan-measure-'));
  const times = {};
  for (const row of [1, 2, 3]) {
    const caseObj = await page.evaluate(async (r) => {
      const {PRESETS, specFromConfig} = await import('./presets.js');
      return window.measurePlanners[1].synthetic(specFromConfig(PRESETS[`table1-row${r}`].config));
    }, row);
    const file = path.join(tmp, `row${row}.json`);
    fs.writeFileSync(file, JSON.stringify(caseObj));
    const t = {native: {metis: [], pruned: []}};
    for (const n of workerCounts) t[n] = {search: {metis: [], pruned: []}, wall: {metis: [], pruned: []}};
    for (let i = 0; i <= runs; i++) {
      for (const n of workerCounts) {
        for (const s of ['metis', 'pruned']) {
          const w = await page.evaluate(async ({c, n, s, trials}) => {
            const start = performance.now();
            const r = await window.measurePlanners[n].plan(c, {strategy: s, top: 1, trials});
            return {search: r.elapsed_ms, wall: performance.now() - start};
          }, {c: caseObj, n, s, trials: pageTrials});
          if (i > 0) {  // warm-up: the engine tiers the code up during the first run
            t[n].search[s].push(w.search);
            t[n].wall[s].push(w.wall);
          }
        }
      }
      const native = bin ? JSON.parse(execFileSync(bin, ['plan', '--case-json', file, '--strategy', 'both',
        '--json', ...(process.env.HETPLAN_NATIVE_ARGS ?? '--threads 1').split(' ').filter(Boolean)],
      {encoding: 'utf8'})) : null;
      if (i > 0 && native) for (const s of ['metis', 'pruned']) t.native[s].push(native[s].elapsed_ms);
    }
    times[row] = t;
  }
  fs.rmSync(tmp, {recursive: true, force: true});
  await context.close();

  console.log(`site: ${webDir}`);
  console.log('\npage weight (files the page loads):');
  for (const r of w.rows) console.log(`  ${r.name.padEnd(22)} ${String(r.raw).padStart(8)} B  gzip ${r.gzip} B`);
  for (const [k, t] of Object.entries(w.totals)) {
    console.log(`  total ${k.padEnd(5)} ${String(t.raw).padStart(8)} B  gzip ${t.gzip} B`);
  }
  console.log(`\nload time (median of ${runs}, fresh context, localhost): DOMContentLoaded ` +
              `${median(loads.map((l) => l.dcl)).toFixed(0)} ms, load ${median(loads.map((l) => l.load)).toFixed(0)} ms, ` +
              `planner ready ${median(loads.map((l) => l.ready)).toFixed(0)} ms`);

  console.log(`\nfirst three row 1 metis searches of a fresh page, 0.5 s after it is ready (median of ${runs} ` +
              `pages): ${[0, 1, 2].map((k) => median(firsts.map((f) => f[k])).toFixed(2)).join(' / ')} ms`);

  console.log(`\nsearch time (ms), median [min] of ${runs} runs after a warm-up; ratios of medians; the page's ` +
              `clock in ${isolated ? '5 us steps (cross-origin isolated)' : '0.1 ms steps'}` +
              `${pageTrials > 1 ? `; the page's search is the mean of ${pageTrials} trials` : ''}; native: ` +
              `${process.env.HETPLAN_NATIVE_ARGS ?? '--threads 1'}:`);
  const fmt = (xs) => (xs.length ? `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}]` : '–');
  const ratio = (a, b) => (a.length && b.length ? (median(a) / median(b)).toFixed(2) : '–');
  const head = ['row', 'strategy', 'native'];
  for (const n of workerCounts) head.push(`${n}w search`, `${n}w wall`, `${n}w search/native`, `${n}w wall/native`);
  if (workerCounts.length > 1) head.push(`${workerCounts[0]}w/${workerCounts[1]}w wall`);
  console.log(`  ${head.join(' | ')}`);
  for (const row of [1, 2, 3]) {
    for (const s of ['metis', 'pruned']) {
      const t = times[row];
      const cells = [String(row), s, fmt(t.native[s])];
      for (const n of workerCounts) {
        cells.push(fmt(t[n].search[s]), fmt(t[n].wall[s]), ratio(t[n].search[s], t.native[s]),
            ratio(t[n].wall[s], t.native[s]));
      }
      if (workerCounts.length > 1) {
        cells.push(ratio(t[workerCounts[0]].wall[s], t[workerCounts[1]].wall[s]));
      }
      console.log(`  ${cells.join(' | ')}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
