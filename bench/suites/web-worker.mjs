// The web-worker strategy in headless Chromium (Debian's, at /usr/bin/chromium; see
// scripts/ensure-chromium.sh): how late a runaway's rejection comes after its deadline,
// the page's longest frame gap while a runaway spins, and the next task after a kill with
// a warm spare; then the size of each package's browser entry, minified and gzipped.
//
// Run alone: node bench/suites/web-worker.mjs [--samples=15] [--timeout=100] [--settle=2500]
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { printTable, summarize } from '../lib/stats.mjs';

const option = (name, fallback) => {
  const given = process.argv.find((argument) => argument.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
};
const samples = option('samples', 15);
const timeout = option('timeout', 100);
const settleMs = option('settle', 2_500);
const launchOptions = JSON.parse(
  readFileSync(new URL('../../scripts/chromium-launch-options.json', import.meta.url), 'utf8'),
);
const chromiumPath = launchOptions.executablePath;
const benchDirectory = fileURLToPath(new URL('..', import.meta.url));
const resolveHere = createRequire(join(benchDirectory, 'package.json'));

if (!existsSync(chromiumPath)) {
  console.log(
    `\n### web-worker in Chromium\n\nskipped: ${chromiumPath} is missing (run scripts/ensure-chromium.sh)`,
  );
  process.exit(0);
}

/** The built worker entry of @timebox/web-worker (beside its main module). */
const workerEntry = join(
  dirname(resolveHere.resolve('@timebox/web-worker/package.json')),
  'dist/web-worker-entry.js',
);

const folder = await mkdtemp(join(tmpdir(), 'timebox-bench-web-worker-'));
await build({
  entryPoints: [fileURLToPath(new URL('../lib/web-worker-page.js', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  outfile: join(folder, 'page.js'),
  logLevel: 'silent',
});
await copyFile(workerEntry, join(folder, 'web-worker-entry.js'));
await writeFile(
  join(folder, 'index.html'),
  '<!doctype html><title>bench</title><script type="module" src="page.js"></script>',
);
const server = createServer(async (request, response) => {
  const name = (request.url ?? '/').split('?')[0].slice(1) || 'index.html';
  try {
    const body = await readFile(join(folder, name.replace(/\.\.+/g, '')));
    response.setHeader('Content-Type', extname(name) === '.html' ? 'text/html' : 'text/javascript');
    response.end(body);
  } catch {
    response.statusCode = 404;
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch(launchOptions);
let measured;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => typeof globalThis.runWebWorkerBenchmark === 'function');
  console.log(
    `(${await browser.version()}: ${samples} runaways of ${timeout} ms, ${settleMs} ms apart)`,
  );
  measured = await page.evaluate((settings) => globalThis.runWebWorkerBenchmark(settings), {
    samples,
    timeout,
    settleMs,
  });
} finally {
  await browser.close();
  server.close();
  await rm(folder, { recursive: true, force: true });
}

printTable(
  'web-worker in Chromium: rejection after the deadline (call to rejection, less the limit)',
  'ms',
  {
    'web-worker': summarize(measured.lateness),
    'bare setTimeout set at the same time (machine noise)': summarize(measured.bareTimerLateness),
  },
  {
    targets: [
      {
        row: 'web-worker',
        maxValue: 5,
        description: 'rejection at most 5 ms after the deadline (median)',
      },
    ],
  },
);
printTable(
  "web-worker in Chromium: the page's longest frame gap during a runaway",
  'ms',
  { 'web-worker': summarize(measured.frameGaps) },
  {
    targets: [
      {
        row: 'web-worker',
        maxValue: 50,
        description: 'longest frame gap under 50 ms (median of runs)',
      },
    ],
  },
);
printTable(
  'web-worker in Chromium: next task after a kill, on the warm spare',
  'ms',
  { 'web-worker': summarize(measured.nextTask) },
  {
    targets: [
      {
        row: 'web-worker',
        maxValue: 15,
        description: 'next task within 15 ms with a spare (median)',
      },
    ],
  },
);

/** Bytes of `source` bundled for the browser and minified, and of that gzipped. */
async function bundleSize(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: benchDirectory, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code).length };
}

const entries = {
  '@timebox/core': "export * from '@timebox/core';",
  '@timebox/thread': "export * from '@timebox/thread';",
  '@timebox/select': "export * from '@timebox/select';",
  '@timebox/web-worker': "export * from '@timebox/web-worker';",
  '@timebox/web-worker (worker entry)': await readFile(workerEntry, 'utf8'),
  'timebox (browser condition)': "export * from 'timebox';",
  "defineTask from 'timebox'": "export { defineTask } from 'timebox';",
  "defineTask from '@timebox/core'": "export { defineTask } from '@timebox/core';",
};
console.log('\n### Browser entries, bundled with esbuild (platform: browser, minified)\n');
console.log('| entry | min (KB) | gzip (KB) |');
console.log('|---|---|---|');
for (const [name, source] of Object.entries(entries)) {
  const size = await bundleSize(source);
  console.log(`| ${name} | ${(size.min / 1024).toFixed(1)} | ${(size.gzip / 1024).toFixed(1)} |`);
}
