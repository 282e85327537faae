// Benchmarks of @timebox/worker against workerpool, piscina, tinypool and a raw
// worker_threads round trip, interleaved in one run. Run alone with:
//   node bench/suites/worker.mjs [--quick]
// (build first: the suite imports the built packages). --quick, for comparing changes run
// after run: fewer unpinned round-trip blocks, 100 consecutive kills instead of 1000, and no
// one-off workerpool-defaults sample; every table and target is printed as in a full run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { workerStrategy } from '@timebox/worker';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { format, interleave, machineLine, median, printTable, summarize } from '../lib/stats.mjs';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
const require = createRequire(import.meta.url);
const suiteStarted = performance.now();
const quick = process.argv.includes('--quick');

// ---------------------------------------------------------------- fixtures (temporary files)
const fixtures = mkdtempSync(join(tmpdir(), 'timebox-bench-worker-'));
const tasksFile = join(fixtures, 'tasks.mjs');
writeFileSync(
  tasksFile,
  `export function add(pair) { return pair[0] + pair[1]; }
export function spin(shared) { const view = new Int32Array(shared); for (;;) Atomics.add(view, 0, 1); }
`,
);
const rawWorkerFile = join(fixtures, 'raw-worker.mjs');
writeFileSync(
  rawWorkerFile,
  `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (pair) => parentPort.postMessage(pair[0] + pair[1]));
`,
);
const workerpoolWorkerFile = join(fixtures, 'workerpool-worker.cjs');
writeFileSync(
  workerpoolWorkerFile,
  `const workerpool = require(${JSON.stringify(require.resolve('workerpool'))});
workerpool.worker({
  add: (pair) => pair[0] + pair[1],
  spin: (shared) => { const view = new Int32Array(shared); for (;;) Atomics.add(view, 0, 1); },
});
`,
);
const tasksUrl = pathToFileURL(tasksFile);
const addTask = defineTask({
  name: 'add',
  timeout: 10_000,
  run: { module: tasksUrl, export: 'add' },
});
const inlineAddTask = defineTask({
  name: 'inline add',
  timeout: 10_000,
  run: (pair) => pair[0] + pair[1],
});
const spinTask = (timeout) =>
  defineTask({ name: 'spin', timeout, run: { module: tasksUrl, export: 'spin' } });
const pair = [20, 22];

// ---------------------------------------------------------------- contenders
function rawRoundTrip() {
  const worker = new Worker(rawWorkerFile);
  let settle;
  worker.on('message', (value) => settle(value));
  return {
    call: () =>
      new Promise((resolve) => {
        settle = resolve;
        worker.postMessage(pair);
      }),
    close: () => worker.terminate(),
  };
}

function timeboxPool(options) {
  const strategy = workerStrategy({ spareWorkers: 1, ...options });
  return {
    strategy,
    call: () => runTaskWithTimeout(addTask, [pair], { strategy }),
    inline: () => runTaskWithTimeout(inlineAddTask, [pair], { strategy }),
    kill: (shared, timeout, logger) =>
      runTaskWithTimeout(spinTask(timeout), [shared], { strategy, ...(logger ? { logger } : {}) }),
    close: () => strategy.close(),
  };
}

function workerpoolPool(threads, extra = {}) {
  const pool = workerpool.pool(workerpoolWorkerFile, {
    maxWorkers: threads,
    minWorkers: threads,
    workerType: 'thread',
    ...extra,
  });
  return {
    call: () => pool.exec('add', [pair]),
    kill: (shared, timeout) => pool.exec('spin', [shared]).timeout(timeout),
    close: () => pool.terminate(true),
  };
}

function piscinaPool(threads) {
  const pool = new Piscina({ filename: tasksUrl.href, minThreads: threads, maxThreads: threads });
  return {
    call: () => pool.run(pair, { name: 'add' }),
    kill: (shared, timeout) => pool.run(shared, { name: 'spin', signal: abortAfter(timeout) }),
    close: () => pool.destroy(),
  };
}

function tinypoolPool(threads) {
  const pool = new Tinypool({ filename: tasksUrl.href, minThreads: threads, maxThreads: threads });
  return {
    call: () => pool.run(pair, { name: 'add' }),
    kill: (shared, timeout) => pool.run(shared, { name: 'spin', signal: abortAfter(timeout) }),
    close: () => pool.destroy(),
  };
}

function abortAfter(milliseconds) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('deadline')), milliseconds);
  return controller.signal;
}

async function warm(contenders, calls) {
  for (const contender of Object.values(contenders)) {
    for (let index = 0; index < calls; index++) await contender();
  }
}

const wait = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Polls a spinning thread's counter; resolves with the time of its last change once it stayed still for `quietMs`. */
async function lastChangeOf(view, quietMs = 25) {
  let last = Atomics.load(view, 0);
  let lastChange = performance.now();
  for (;;) {
    await wait(1);
    const now = performance.now();
    const value = Atomics.load(view, 0);
    if (value !== last) {
      last = value;
      lastChange = now;
    } else if (now - lastChange >= quietMs) {
      return lastChange;
    }
  }
}

function countResources() {
  const counts = {};
  for (const resource of process.getActiveResourcesInfo())
    counts[resource] = (counts[resource] ?? 0) + 1;
  return counts;
}

if (!process.argv.includes('--pinned-round-trip')) {
  console.log('# @timebox/worker benchmarks\n');
  console.log(machineLine());
  console.log(
    `Command: node bench/suites/worker.mjs${quick ? ' --quick' : ''} (interleaved rounds; medians; the machine may be shared, so expect noise)`,
  );
}

// ---------------------------------------------------------------- 1. sequential round trip
// A round trip costs much more when the worker thread sits on another, idle (halted) CPU
// than on the host's, and the scheduler keeps a thread where it is for a while: unpinned,
// that placement luck swamps the differences between contenders. So the round trip is
// measured twice: in a child process pinned to one CPU (taskset), where it measures the
// work each contender does, and unpinned with the contenders made anew in each block (new
// threads, new placements), the samples of all blocks pooled.
// Each contender's calls before the measured rounds: enough for V8 to optimise every
// contender's call path. With 300, timebox's longer path was measured partly unoptimised
// (1.27–1.36× raw against 1.12–1.16× after 3000, same code, pinned).
const roundTripWarmUpCalls = 3_000;

async function roundTrip(title, blocks, roundsPerBlock) {
  const batch = 200;
  const names = [
    'raw',
    'timebox (module task)',
    'timebox (inline function)',
    'workerpool',
    'piscina',
    'tinypool',
  ];
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let block = 0; block < blocks; block++) {
    const raw = rawRoundTrip();
    const timeboxModule = timeboxPool({ maxWorkers: 1 });
    const timeboxInline = timeboxPool({ maxWorkers: 1 });
    const pools = {
      workerpool: workerpoolPool(1),
      piscina: piscinaPool(1),
      tinypool: tinypoolPool(1),
    };
    const perCall = {
      raw: raw.call,
      'timebox (module task)': timeboxModule.call,
      'timebox (inline function)': timeboxInline.inline,
      workerpool: pools.workerpool.call,
      piscina: pools.piscina.call,
      tinypool: pools.tinypool.call,
    };
    await warm(perCall, roundTripWarmUpCalls);
    const blockSamples = await interleave(
      Object.fromEntries(
        Object.entries(perCall).map(([name, call]) => [
          name,
          async () => {
            const started = performance.now();
            for (let index = 0; index < batch; index++) await call();
            return ((performance.now() - started) * 1000) / batch;
          },
        ]),
      ),
      roundsPerBlock,
    );
    for (const name of names) samples[name].push(...blockSamples[name]);
    await Promise.all([
      raw.close(),
      timeboxModule.close(),
      timeboxInline.close(),
      ...Object.values(pools).map((pool) => pool.close()),
    ]);
  }
  printTable(
    `${title} (µs per call; ${blocks} block(s) of fresh threads × ${roundsPerBlock} rounds × ${batch} calls)`,
    'µs',
    Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)])),
    {
      baseline: 'raw',
      targets: [
        {
          row: 'timebox (module task)',
          maxRatio: 1.2,
          description: 'timebox module task round trip vs raw postMessage',
        },
        {
          row: 'timebox (inline function)',
          maxRatio: 1.2,
          description: 'timebox inline function round trip vs raw postMessage',
        },
      ],
    },
  );
}

if (process.argv.includes('--pinned-round-trip')) {
  await roundTrip('Sequential round trip of a trivial task, pinned to one CPU', 1, 30);
  rmSync(fixtures, { recursive: true, force: true });
  process.exit(0);
}

{
  const pinned = spawnSync(
    'taskset',
    ['-c', '0', process.execPath, fileURLToPath(import.meta.url), '--pinned-round-trip'],
    {
      stdio: 'inherit',
    },
  );
  if (pinned.error !== undefined || pinned.status !== 0) {
    console.log('\n(taskset is not available here: no pinned round trip)');
  }
  await roundTrip('Sequential round trip of a trivial task, unpinned', quick ? 3 : 6, 4);
}

// ---------------------------------------------------------------- 2. throughput
{
  const timebox = timeboxPool({ maxWorkers: 2 });
  // The same strategy sending a task only to an idle thread: what prefetch gains.
  const timeboxNoPrefetch = timeboxPool({ maxWorkers: 2, prefetch: 0 });
  const pools = {
    workerpool: workerpoolPool(2),
    piscina: piscinaPool(2),
    tinypool: tinypoolPool(2),
  };
  const batchOf = {
    timebox: timebox.call,
    'timebox (prefetch: 0)': timeboxNoPrefetch.call,
    workerpool: pools.workerpool.call,
    piscina: pools.piscina.call,
    tinypool: pools.tinypool.call,
  };
  await warm(batchOf, 500);
  const samples = await interleave(
    Object.fromEntries(
      Object.entries(batchOf).map(([name, call]) => [
        name,
        async () => {
          const started = performance.now();
          await Promise.all(Array.from({ length: 1_000 }, call));
          return performance.now() - started;
        },
      ]),
    ),
    15,
  );
  const summaries = Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [name, summarize(values)]),
  );
  printTable(
    '1000 concurrent trivial tasks on 2 workers (ms per 1000 tasks, lower is better)',
    'ms',
    summaries,
    {
      baseline: 'piscina',
      targets: [
        {
          row: 'timebox',
          maxRatio: 0.667,
          description:
            'timebox time per 1000 tasks vs piscina (throughput at least 1.5× piscina’s)',
        },
      ],
    },
  );
  console.log(
    `\nthroughput (tasks/s, median): ${Object.entries(summaries)
      .map(([name, summary]) => `${name} ${Math.round(1_000_000 / summary.median)}`)
      .join(', ')}`,
  );
  await Promise.all([
    timebox.close(),
    timeboxNoPrefetch.close(),
    ...Object.values(pools).map((pool) => pool.close()),
  ]);
}

// ---------------------------------------------------------------- 3. killing while (true) {}
const limit = 50;
{
  const goneLogged = [];
  let rejectedAt = 0;
  const logger = {
    debug: (_message, fields) => {
      if (fields?.goneAfterAbort !== undefined) goneLogged.push(performance.now() - rejectedAt);
    },
    info() {},
    warn() {},
    error() {},
  };
  const contenders = {
    timebox: timeboxPool({ maxWorkers: 1 }),
    'workerpool (workerTerminateTimeout: 1)': workerpoolPool(1, { workerTerminateTimeout: 1 }),
    piscina: piscinaPool(1),
    tinypool: tinypoolPool(1),
  };
  const goneAfterRejection = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const samples = await interleave(
    Object.fromEntries(
      Object.entries(contenders).map(([name, contender]) => [
        name,
        async () => {
          const shared = new SharedArrayBuffer(4);
          const view = new Int32Array(shared);
          const called = performance.now();
          await contender
            .kill(shared, limit, name === 'timebox' ? logger : undefined)
            .catch(() => {});
          rejectedAt = performance.now();
          const lastChange = await lastChangeOf(view);
          goneAfterRejection[name].push(Math.max(0, lastChange - rejectedAt));
          await contender.call();
          return rejectedAt - called - limit;
        },
      ]),
    ),
    12,
  );
  printTable(
    `while (true) {} with a ${limit} ms limit: rejection delay after the deadline (ms)`,
    'ms',
    Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)])),
    {
      targets: [
        {
          row: 'timebox',
          maxValue: 5,
          description: 'timebox rejection delay after the deadline (median)',
        },
      ],
    },
  );
  printTable(
    'Spinning thread gone after the rejection (ms; last change of its shared counter, polled every 1 ms)',
    'ms',
    Object.fromEntries(
      Object.entries(goneAfterRejection).map(([name, values]) => [name, summarize(values)]),
    ),
    {
      targets: [
        {
          row: 'timebox',
          maxValue: 20,
          description: 'timebox thread gone after the rejection (median)',
        },
      ],
    },
  );
  console.log(
    `\ntimebox's own log of the exit event: gone ${format(median(goneLogged))} ms after the rejection (median of ${goneLogged.length})`,
  );
  await Promise.all(Object.values(contenders).map((contender) => contender.close()));
}

// ---------------------------------------------------------------- 4. next task after a kill
{
  const contenders = {
    timebox: timeboxPool({ maxWorkers: 1, spareWorkers: 1 }),
    'workerpool (workerTerminateTimeout: 1)': workerpoolPool(1, { workerTerminateTimeout: 1 }),
    piscina: piscinaPool(1),
    tinypool: tinypoolPool(1),
  };
  await warm(
    Object.fromEntries(
      Object.entries(contenders).map(([name, contender]) => [name, contender.call]),
    ),
    50,
  );
  const samples = await interleave(
    Object.fromEntries(
      Object.entries(contenders).map(([name, contender]) => [
        name,
        async () => {
          await contender.kill(new SharedArrayBuffer(4), limit).catch(() => {});
          const started = performance.now();
          await contender.call();
          const took = performance.now() - started;
          await wait(60);
          return took;
        },
      ]),
    ),
    12,
  );
  printTable(
    'Next trivial task right after a kill, maxWorkers 1 (ms from the rejection to its result)',
    'ms',
    Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)])),
    {
      targets: [
        { row: 'timebox', maxValue: 5, description: 'timebox next task after a kill (median)' },
      ],
    },
  );
  await Promise.all(Object.values(contenders).map((contender) => contender.close()));
}

// ---------------------------------------------------------------- 5. workerpool defaults, once
if (!quick) {
  const pool = workerpoolPool(1);
  await pool.call();
  const shared = new SharedArrayBuffer(4);
  const called = performance.now();
  await pool.kill(shared, limit).catch(() => {});
  const rejectedAt = performance.now();
  const nextStarted = performance.now();
  await pool.call();
  const nextTook = performance.now() - nextStarted;
  const lastChange = await lastChangeOf(new Int32Array(shared));
  console.log(
    `\n### workerpool with its defaults (one sample)\n\nrejection ${format(rejectedAt - called - limit)} ms after the deadline; spinning thread gone ${format(lastChange - rejectedAt)} ms after the rejection; next task ${format(nextTook)} ms after the rejection (its slot is blocked meanwhile)`,
  );
  await pool.close();
}

// ---------------------------------------------------------------- 6. 1000 consecutive kills
{
  const kills = quick ? 100 : 1_000;
  const timebox = timeboxPool({ maxWorkers: 1, spareWorkers: 2 });
  for (let index = 0; index < 20; index++) await timebox.call();
  await timebox.kill(new SharedArrayBuffer(4), 5).catch(() => {});
  await wait(100);
  collectGarbage();
  const resourcesBefore = countResources();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const outcomes = {};
  for (let index = 0; index < kills; index++) {
    const error = await timebox.kill(new SharedArrayBuffer(4), 5).catch((caught) => caught);
    const outcome =
      error?.name === 'TaskCrashedError'
        ? `TaskCrashedError (${error.reason})`
        : String(error?.name);
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  const took = performance.now() - started;
  await timebox.call();
  await wait(200);
  collectGarbage();
  const rssOpen = process.memoryUsage().rss;
  await timebox.close();
  await wait(50);
  collectGarbage();
  const rssClosed = process.memoryUsage().rss;
  const resourcesAfter = countResources();
  const mb = (bytes) => format(bytes / 2 ** 20, 'MB');
  console.log(
    `\n### ${kills} consecutive kills (timebox, maxWorkers 1, spareWorkers 2, 5 ms limit)\n`,
  );
  console.log(
    `outcomes: ${JSON.stringify(outcomes)} in ${format(took / 1000, 's')} (${format(took / kills, 'ms')} per kill, thread start-up included)`,
  );
  console.log(
    `RSS growth with the strategy still open: ${mb(rssOpen - rssBefore)}; after close(): ${mb(rssClosed - rssBefore)} (target < 30 MB: ${rssOpen - rssBefore < 30 * 2 ** 20 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `active resources before: ${JSON.stringify(resourcesBefore)}; after close(): ${JSON.stringify(resourcesAfter)}`,
  );
  console.log(
    `leaked Worker handles after close(): ${resourcesAfter.Worker ?? 0} (target 0: ${(resourcesAfter.Worker ?? 0) === 0 ? 'met' : 'NOT met'})`,
  );
}

rmSync(fixtures, { recursive: true, force: true });
console.log(`\nSuite took ${format((performance.now() - suiteStarted) / 1000, 's')}.`);
