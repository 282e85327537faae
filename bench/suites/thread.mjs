// The thread (soft) strategy's cost per call, against a direct `await`, p-timeout and a
// hand-written Promise.race with setTimeout/clearTimeout, interleaved in one run; its memory
// over 1e6 calls, with nobody and with a subscriber on the timebox:run diagnostics channel;
// and, in separate processes, what `asyncContext: true` costs and what
// entering an AsyncLocalStorage does to unrelated promises.
//
// Run alone: node bench/suites/thread.mjs [--rounds=200] [--batch=250] [--calls=1000000]
// (it re-runs itself with --expose-gc when started without it).
import { spawnSync } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { defineTask, runTaskWithTimeout, taskSignal, timeboxChannels } from '@timebox/core';
import { threadStrategy } from '@timebox/thread';
import pTimeout from 'p-timeout';
import { format, interleave, machineLine, median, printTable, summarize } from '../lib/stats.mjs';

const thisFile = fileURLToPath(import.meta.url);

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, thisFile, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}

const option = (name, fallback) => {
  const given = process.argv.find((argument) => argument.startsWith(`--${name}=`));
  return given === undefined ? fallback : Number(given.slice(name.length + 3));
};
// Many short samples: a short sample is rarely cut by the scheduler on a busy machine, and
// the median over many rounds drops the ones that were.
const rounds = option('rounds', 200);
const batch = option('batch', 250);
const memoryCalls = option('calls', 1_000_000);
const timeout = 1_000;
const overheadTarget = 1.5;
const memoryTarget = 10;

/** The task every contender runs: an async function that resolves at once. */
const work = async (value) => value;
const plainTask = defineTask({ name: 'bench echo', timeout, run: work });
const signalTask = defineTask({
  name: 'bench echo with signal',
  timeout,
  run: async (value) => {
    taskSignal();
    return value;
  },
});
const lateSignalTask = defineTask({
  name: 'bench echo, signal after an await',
  timeout,
  run: async (value) => {
    await undefined;
    taskSignal();
    return value;
  },
});

function raceWithTimer(promise, milliseconds) {
  let timer;
  const deadline = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), milliseconds);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A contender: runs `call` `batch` times in sequence, returns µs per call. */
function perCall(call) {
  return async () => {
    const started = performance.now();
    for (let index = 0; index < batch; index++) await call(index);
    return ((performance.now() - started) * 1_000) / batch;
  };
}

async function warmUp(contenders) {
  for (let pass = 0; pass < 40; pass++) {
    for (const contender of Object.values(contenders)) await contender();
  }
}

function summaries(samples) {
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, summarize(list)]));
}

/** Median over rounds of (row - baseline) measured in the same round. */
function pairedOverhead(samples, row, baseline) {
  return median(samples[row].map((value, round) => value - samples[baseline][round]));
}

async function settleTimers() {
  await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A subscriber to every timebox:run event that only counts them, as a cheap APM would. */
const runChannel = diagnosticsChannel.tracingChannel(timeboxChannels.run);
let runEventsSeen = 0;
const countRunEvent = () => {
  runEventsSeen += 1;
};
const countingSubscriber = {
  start: countRunEvent,
  end: countRunEvent,
  asyncStart: countRunEvent,
  asyncEnd: countRunEvent,
  error: countRunEvent,
};

/** A contender that runs with the counting subscriber on timebox:run, and only then. */
function subscribed(contender) {
  return async () => {
    runChannel.subscribe(countingSubscriber);
    try {
      return await contender();
    } finally {
      runChannel.unsubscribe(countingSubscriber);
    }
  };
}

async function measureCostPerCall() {
  const strategy = threadStrategy();
  const contenders = {
    'direct await': perCall((index) => work(index)),
    'Promise.race + setTimeout': perCall((index) => raceWithTimer(work(index), timeout)),
    'p-timeout': perCall((index) => pTimeout(work(index), { milliseconds: timeout })),
    'thread strategy': perCall((index) => runTaskWithTimeout(plainTask, [index], { strategy })),
    'thread, task calls taskSignal()': perCall((index) =>
      runTaskWithTimeout(signalTask, [index], { strategy }),
    ),
    'thread, timebox:run subscribed': subscribed(
      perCall((index) => runTaskWithTimeout(plainTask, [index], { strategy })),
    ),
  };
  await warmUp(contenders);
  const samples = await interleave(contenders, rounds);
  await strategy.close();
  printTable(
    `Cost per call, ${batch} sequential calls per sample, ${rounds} interleaved rounds`,
    'µs per call',
    summaries(samples),
    { baseline: 'direct await' },
  );
  const overhead = pairedOverhead(samples, 'thread strategy', 'direct await');
  const withSignal = pairedOverhead(samples, 'thread, task calls taskSignal()', 'direct await');
  const withSubscriber = pairedOverhead(
    samples,
    'thread, timebox:run subscribed',
    'thread strategy',
  );
  const threadMedian = median(samples['thread strategy']);
  console.log(
    `\nthread strategy vs p-timeout: ${format(threadMedian / median(samples['p-timeout']))}×, vs Promise.race + setTimeout: ${format(threadMedian / median(samples['Promise.race + setTimeout']))}×`,
  );
  console.log(
    `thread strategy over a direct await: ${format(overhead)} µs per call (${format(withSignal)} µs when the task calls taskSignal())`,
  );
  console.log(
    `timebox:run diagnostics channel: nobody subscribed, included above (${format(overhead)} µs over a direct await); a subscriber to all five events adds ${format(withSubscriber)} µs per call (${runEventsSeen.toLocaleString('en')} events seen)`,
  );
  console.log(
    `\ntarget: at most ${overheadTarget} µs per call over a direct await when the task never calls taskSignal() and nobody subscribes to timebox:run — ${format(overhead)} µs: ${overhead <= overheadTarget ? 'met' : 'NOT met'}`,
  );
}

async function measureMemory() {
  const strategy = threadStrategy();
  // Warm up first, so that the young generation has grown to its working size.
  for (let index = 0; index < 100_000; index++) {
    await runTaskWithTimeout(plainTask, [index], { strategy });
  }
  await settleTimers();
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage();
  const started = performance.now();
  for (let index = 0; index < memoryCalls; index++) {
    await runTaskWithTimeout(plainTask, [index], { strategy });
  }
  const seconds = (performance.now() - started) / 1_000;
  await settleTimers();
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage();
  await strategy.close();
  const megabytes = (bytes) => bytes / 2 ** 20;
  const rssGrowth = megabytes(after.rss - before.rss);
  const heapGrowth = megabytes(after.heapUsed - before.heapUsed);
  console.log(`\n### Memory over ${memoryCalls.toLocaleString('en')} calls (after GC)\n`);
  console.log('| measure | before | after | growth |');
  console.log('|---|---|---|---|');
  console.log(
    `| RSS (MB) | ${format(megabytes(before.rss))} | ${format(megabytes(after.rss))} | ${format(rssGrowth)} |`,
  );
  console.log(
    `| heap used (MB) | ${format(megabytes(before.heapUsed))} | ${format(megabytes(after.heapUsed))} | ${format(heapGrowth)} |`,
  );
  console.log(
    `\n${memoryCalls.toLocaleString('en')} calls in ${format(seconds)} s; active handles afterwards: ${process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length} timers`,
  );
  console.log(
    `\ntarget: under ${memoryTarget} MB RSS growth over ${memoryCalls.toLocaleString('en')} calls — ${format(rssGrowth)} MB: ${rssGrowth < memoryTarget ? 'met' : 'NOT met'}`,
  );
}

const asyncContextRows = {
  unrelated: 'unrelated await new Promise()',
  direct: 'direct await',
  thread: 'thread strategy',
  context: 'thread, asyncContext: true',
  lateSignal: 'thread, asyncContext: true, taskSignal() after an await',
};

/**
 * One sample process of the asyncContext measurement: `plain` never enters an
 * AsyncLocalStorage; `entered` runs one task under `asyncContext: true` first, which on
 * Node 20 cannot be undone for the rest of the process. Prints the medians as JSON.
 */
async function sampleAsyncContext(mode) {
  const unrelatedPromise = async () => {
    const started = performance.now();
    for (let index = 0; index < batch; index++) {
      await new Promise((resolve) => resolve(index));
    }
    return ((performance.now() - started) * 1_000) / batch;
  };
  const plainStrategy = threadStrategy();
  const contenders = {
    [asyncContextRows.unrelated]: unrelatedPromise,
    [asyncContextRows.direct]: perCall((index) => work(index)),
    [asyncContextRows.thread]: perCall((index) =>
      runTaskWithTimeout(plainTask, [index], { strategy: plainStrategy }),
    ),
  };
  let contextStrategy;
  if (mode === 'entered') {
    contextStrategy = threadStrategy({ asyncContext: true });
    await runTaskWithTimeout(plainTask, [0], { strategy: contextStrategy });
    contenders[asyncContextRows.context] = perCall((index) =>
      runTaskWithTimeout(plainTask, [index], { strategy: contextStrategy }),
    );
    contenders[asyncContextRows.lateSignal] = perCall((index) =>
      runTaskWithTimeout(lateSignalTask, [index], { strategy: contextStrategy }),
    );
  }
  await warmUp(contenders);
  const samples = await interleave(contenders, Math.max(4, Math.round(rounds / 4)));
  await plainStrategy.close();
  await contextStrategy?.close();
  const medians = Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [name, median(list)]),
  );
  if (mode === 'entered') {
    medians.contextOverhead = pairedOverhead(
      samples,
      asyncContextRows.context,
      asyncContextRows.direct,
    );
  }
  console.log(JSON.stringify(medians));
}

/**
 * Entering an AsyncLocalStorage cannot be undone within a process on Node 20, so the
 * measurement alternates processes that never enter one with processes that have, and
 * compares the medians.
 */
function measureAsyncContext() {
  const alternations = 6;
  const results = { plain: [], entered: [] };
  for (let index = 0; index < alternations; index++) {
    const order = index % 2 === 0 ? ['plain', 'entered'] : ['entered', 'plain'];
    for (const mode of order) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', thisFile, `--async-context-sample=${mode}`, ...process.argv.slice(2)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`the ${mode} sample process failed`);
      results[mode].push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
    }
  }
  const medianOf = (mode, row) => {
    const values = results[mode].map((sample) => sample[row]).filter(Number.isFinite);
    return values.length > 0 ? median(values) : Number.NaN;
  };
  console.log(
    `\n### asyncContext: ${alternations} processes that never enter an AsyncLocalStorage, alternated with ${alternations} that have run a task under threadStrategy({ asyncContext: true })\n`,
  );
  console.log('| contender | never entered (µs per call) | entered (µs per call) | × |');
  console.log('|---|---|---|---|');
  for (const row of Object.values(asyncContextRows)) {
    const plain = medianOf('plain', row);
    const entered = medianOf('entered', row);
    const ratio = Number.isFinite(plain) ? format(entered / plain) : '—';
    console.log(
      `| ${row} | ${Number.isFinite(plain) ? format(plain) : '—'} | ${format(entered)} | ${ratio} |`,
    );
  }
  const slowdown = (row) => medianOf('entered', row) / medianOf('plain', row);
  console.log(
    `\nthread with asyncContext: true over a direct await (same process): ${format(medianOf('entered', 'contextOverhead'))} µs per call`,
  );
  console.log(
    `after entering an AsyncLocalStorage, code that has nothing to do with timebox slows down: an unrelated await new Promise() ${format(slowdown(asyncContextRows.unrelated))}×, a direct await ${format(slowdown(asyncContextRows.direct))}×, the thread strategy without asyncContext ${format(slowdown(asyncContextRows.thread))}× (documented, not a target)`,
  );
}

const sampleMode = process.argv
  .find((argument) => argument.startsWith('--async-context-sample='))
  ?.slice('--async-context-sample='.length);

if (sampleMode !== undefined) {
  await sampleAsyncContext(sampleMode);
} else {
  console.log('\n## @timebox/thread: the soft strategy\n');
  console.log(machineLine());
  await measureCostPerCall();
  await measureMemory();
  measureAsyncContext();
}
