// Playwright against Debian's Chromium (no browser download) and the site folder of a WASM build, served as
// plain static files. HETPLAN_WEB_DIR: the site folder (BUILD/web); HETPLAN_PORT: a free localhost port
// (run.sh picks one).
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {defineConfig} from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(process.env.HETPLAN_WEB_DIR ?? path.join(here, '..', '..', 'build-wasm', 'web'));
const port = Number(process.env.HETPLAN_PORT ?? 8731);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  // One worker: the timing checks (live counters, Cancel within a second) must not share two cores with a
  // second browser.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: {timeout: 20_000},
  reporter: [['list']],
  outputDir: path.join(here, 'test-results'),
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    browserName: 'chromium',
    headless: true,
    viewport: {width: 1400, height: 1000},
    launchOptions: {
      executablePath: process.env.HETPLAN_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-sync'],
    },
  },
  webServer: {
    command: `python3 -m http.server ${port} --bind 127.0.0.1 --directory "${webDir}"`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 20_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
