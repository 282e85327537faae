// Benchmarks @timebox/process against workerpool's process mode, execa and a bare fork per
// task, interleaved in one run. Run alone with `node --expose-gc bench/suites/process.mjs`
// (after the packages are built); `--quick` takes fewer samples and 100 instead of 500 kills.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { processStrategy } from '@timebox/process';
import { execaNode } from 'execa';
import workerpool from 'workerpool';
import { interleave, machineLine, printTable, summarize } from '../lib/stats.mjs';

const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;
const batch = 50;
const killCount = quick ? 100 : 500;
const limit = 50;
const require = createRequire(import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'timebox-bench-process-'));

/**
 * Every task here appends `child grandchild` pids to a file in `scratch`. On the way out —
 * a normal end, an error or Ctrl+C — this kills whatever of them still runs (the peers
 * leave grandchildren behind) and removes the files.
 */
function sweep() {
  let killed = 0;
  for (const file of readdirSync(scratch).filter((name) => name.includes('pids'))) {
    for (const pid of readFileSync(join(scratch, file), 'utf8').split(/\s+/).filter(Boolean)) {
      if (!isRunning(Number(pid))) continue;
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        // gone meanwhile
      }
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  if (killed > 0 && process.stdout.writable) {
    console.log(`\n(killed ${killed} processes that the peers left running)`);
  }
}
process.once('exit', sweep);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));
// A reader that goes away (`| head`) must not leave the benchmark's processes behind either.
process.stdout.on('error', () => process.exit(1));

// ---------------------------------------------------------------- fixtures (written to a temp dir)

const tasksModule = join(scratch, 'tasks.mjs');
writeFileSync(
  tasksModule,
  `import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
export function add(left, right) { return left + right; }
export function startedAt() { return Number(process.hrtime.bigint()); }
export function spinWithGrandchild(pidFile) {
  const grandchild = spawn('sleep', ['1000'], { stdio: 'ignore' });
  appendFileSync(pidFile, process.pid + ' ' + grandchild.pid + '\\n');
  for (;;) {}
}
`,
);
const workerpoolWorker = join(scratch, 'workerpool-worker.cjs');
writeFileSync(
  workerpoolWorker,
  `const workerpool = require(${JSON.stringify(require.resolve('workerpool'))});
const { spawn } = require('node:child_process');
const { appendFileSync } = require('node:fs');
workerpool.worker({
  add: (left, right) => left + right,
  startedAt: () => Number(process.hrtime.bigint()),
  spinWithGrandchild(pidFile) {
    const grandchild = spawn('sleep', ['1000'], { stdio: 'ignore' });
    appendFileSync(pidFile, process.pid + ' ' + grandchild.pid + '\\n');
    for (;;) {}
  },
});
`,
);
const perTaskChild = join(scratch, 'per-task-child.mjs');
writeFileSync(
  perTaskChild,
  `import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
const [mode, first, second] = process.argv.slice(2);
if (mode === 'add') {
  const sum = Number(first) + Number(second);
  if (process.send) process.send(sum, () => process.disconnect());
  else process.stdout.write(String(sum));
} else {
  const grandchild = spawn('sleep', ['1000'], { stdio: 'ignore' });
  appendFileSync(first, process.pid + ' ' + grandchild.pid + '\\n');
  process.send?.('started');
  for (;;) {}
}
`,
);

// ---------------------------------------------------------------- helpers

/** Whether `pid` runs (a zombie, ended but not yet reaped, does not). */
function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Milliseconds until every pid has stopped, polled on every turn; Infinity past `withinMs`. */
async function goneAfter(pids, withinMs) {
  const start = performance.now();
  while (pids.some(isRunning)) {
    if (performance.now() - start > withinMs) return Infinity;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - start;
}

/** The last `child grandchild` pid pair appended to `file`, or undefined when there is none. */
function lastPids(file) {
  let content;
  try {
    content = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (content === '') return undefined;
  const [child, grandchild] = content.split('\n').at(-1).split(' ').map(Number);
  return { child, grandchild };
}

function moduleTask(exportName, timeout) {
  return defineTask({
    name: exportName,
    timeout,
    run: { module: tasksModule, export: exportName },
  });
}

const add = moduleTask('add', 10_000);
const addInline = defineTask({
  name: 'add inline',
  timeout: 10_000,
  run: (left, right) => left + right,
});
const spin = moduleTask('spinWithGrandchild', limit);

/** Mean milliseconds per call over `batch` sequential calls. */
async function perCall(call) {
  const start = performance.now();
  for (let index = 0; index < batch; index++) await call();
  return (performance.now() - start) / batch;
}

// ---------------------------------------------------------------- contenders

const timebox = processStrategy({ maxProcesses: 1, graceMs: 0, stdio: 'ignore' });
const timeboxDefaultGrace = processStrategy({ maxProcesses: 1, stdio: 'ignore' });
const pool = workerpool.pool(workerpoolWorker, {
  workerType: 'process',
  maxWorkers: 1,
  workerTerminateTimeout: 1,
  forkOpts: { stdio: 'ignore' },
});

// warm up every pool (and the JIT) before measuring
for (let index = 0; index < 200; index++) {
  await runTaskWithTimeout(add, [1, 2], { strategy: timebox });
  await runTaskWithTimeout(add, [1, 2], { strategy: timeboxDefaultGrace });
  await pool.exec('add', [1, 2]);
}

console.log(`# @timebox/process benchmarks${quick ? ' (quick)' : ''}\n\n${machineLine()}`);

// ---------------------------------------------------------------- warm sequential round trip

/** CPU milliseconds used so far by this process's children, from /proc (Linux). */
function childrenCpu() {
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
    let ticks = 0;
    for (const pid of children.trim().split(' ').filter(Boolean)) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks * 10; // at 100 ticks per second
  } catch {
    return Number.NaN;
  }
}

/** Host and child CPU per call, summed over every sample of a warm contender. */
const cpu = {};

/** A warm contender: mean wall milliseconds per call over `batch` calls; CPU recorded too. */
function warm(name, call) {
  cpu[name] = { host: 0, children: 0, calls: 0 };
  return async () => {
    const hostBefore = process.cpuUsage();
    const childrenBefore = childrenCpu();
    const wall = await perCall(call);
    const host = process.cpuUsage(hostBefore);
    cpu[name].host += (host.user + host.system) / 1000;
    cpu[name].children += childrenCpu() - childrenBefore;
    cpu[name].calls += batch;
    return wall;
  };
}

const roundTrip = await interleave(
  {
    'timebox process (module task)': warm('timebox process (module task)', () =>
      runTaskWithTimeout(add, [1, 2], { strategy: timebox }),
    ),
    'timebox process (inline function)': warm('timebox process (inline function)', () =>
      runTaskWithTimeout(addInline, [1, 2], { strategy: timebox }),
    ),
    'workerpool process': warm('workerpool process', () => pool.exec('add', [1, 2])),
  },
  rounds * 4,
);
const coldRoundTrip = await interleave(
  {
    'execa per task': async () => {
      const start = performance.now();
      await execaNode(perTaskChild, ['add', '1', '2'], { ipc: false });
      return performance.now() - start;
    },
    'bare fork per task': async () => {
      const start = performance.now();
      const child = fork(perTaskChild, ['add', '1', '2'], { stdio: 'ignore' });
      await new Promise((resolve) => child.once('message', resolve));
      await new Promise((resolve) => child.once('exit', resolve));
      return performance.now() - start;
    },
  },
  rounds,
);
printTable(
  `warm sequential round trip, one process (a task that adds two numbers; ${batch} calls per sample)`,
  'ms',
  Object.fromEntries(
    Object.entries({ ...roundTrip, ...coldRoundTrip }).map(([name, samples]) => [
      name,
      summarize(samples),
    ]),
  ),
  {
    baseline: 'workerpool process',
    targets: [
      {
        row: 'timebox process (module task)',
        maxRatio: 1.2,
        description: 'timebox round trip at most 1.2× workerpool process mode',
      },
    ],
  },
);
console.log(
  '\nCPU per call, host + child (less sensitive than wall time to other load on the machine):',
);
for (const [name, used] of Object.entries(cpu)) {
  const host = (used.host / used.calls) * 1000;
  const children = (used.children / used.calls) * 1000;
  console.log(
    `- ${name}: ${(host + children).toFixed(0)} µs (host ${host.toFixed(0)} µs, child ${children.toFixed(0)} µs)`,
  );
}

// ---------------------------------------------------------------- while (true) {} with a 50 ms limit

// How long to wait for a peer's tree to vanish before counting what still runs as survivors
// (they never kill the grandchild; the wait only costs time).
const peerGoneBound = 300;
const goneSamples = {};
const survived = {};
const notStarted = {};
let sampleNumber = 0;

/** A fresh file for one sample's pids. */
function freshPidFile() {
  sampleNumber++;
  return join(scratch, `pids-${sampleNumber}`);
}

/**
 * Records how long after the rejection the tree was gone, and who survived. A task killed
 * before it could start its grandchild wrote no pids and is only counted.
 */
async function recordGone(name, pidFile, withinMs) {
  survived[name] ??= 0;
  notStarted[name] ??= 0;
  goneSamples[name] ??= [];
  const pids = lastPids(pidFile);
  if (pids === undefined) {
    notStarted[name]++;
    return;
  }
  const both = [pids.child, pids.grandchild];
  goneSamples[name].push(await goneAfter(both, withinMs));
  for (const pid of both) {
    if (isRunning(pid)) {
      survived[name]++;
    }
  }
}

async function timeboxKill(name, strategy) {
  const pidFile = freshPidFile();
  const start = performance.now();
  const error = await runTaskWithTimeout(spin, [pidFile], { strategy }).catch((caught) => caught);
  const rejected = performance.now();
  if (error?.name !== 'TaskTimeoutError') throw error;
  await recordGone(name, pidFile, 3_000);
  return rejected - start - limit;
}

const rejection = await interleave(
  {
    'timebox process': () => timeboxKill('timebox process', timebox),
    'timebox process (default graceMs 100)': () =>
      timeboxKill('timebox process (default graceMs 100)', timeboxDefaultGrace),
    'workerpool process': async () => {
      await pool.exec('add', [1, 2]); // a warm worker, so that the limit counts the loop alone
      const pidFile = freshPidFile();
      const start = performance.now();
      const error = await pool
        .exec('spinWithGrandchild', [pidFile])
        .timeout(limit)
        .catch((caught) => caught);
      const rejected = performance.now();
      if (!(error instanceof workerpool.Promise.TimeoutError)) throw error;
      await recordGone('workerpool process', pidFile, peerGoneBound);
      return rejected - start - limit;
    },
    'execa (cancelSignal 50 ms after start)': async () => {
      const pidFile = freshPidFile();
      const controller = new AbortController();
      const subprocess = execaNode(perTaskChild, ['spin', pidFile], {
        cancelSignal: controller.signal,
        stdio: 'ignore',
      });
      await subprocess.getOneMessage();
      const deadline = performance.now() + limit;
      setTimeout(() => controller.abort(), limit);
      await subprocess.catch(() => {});
      const rejected = performance.now();
      await recordGone('execa (cancelSignal 50 ms after start)', pidFile, peerGoneBound);
      return rejected - deadline;
    },
    'bare fork (child.kill() 50 ms after start)': async () => {
      const pidFile = freshPidFile();
      const child = fork(perTaskChild, ['spin', pidFile], { stdio: 'ignore' });
      await new Promise((resolve) => child.once('message', resolve));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const deadline = performance.now() + limit;
      await new Promise((resolve) => setTimeout(resolve, limit));
      child.kill();
      const rejected = performance.now();
      await exited;
      await recordGone('bare fork (child.kill() 50 ms after start)', pidFile, peerGoneBound);
      return rejected - deadline;
    },
  },
  rounds,
);
printTable(
  'while (true) {} after starting `sleep 1000`, 50 ms limit: rejection after the deadline',
  'ms',
  Object.fromEntries(
    Object.entries(rejection).map(([name, samples]) => [name, summarize(samples)]),
  ),
  {
    targets: [
      {
        row: 'timebox process',
        maxValue: 5,
        description: 'rejection at most 5 ms after the deadline (median)',
      },
    ],
  },
);
printTable(
  'the same: whole tree (child and grandchild) gone after the rejection (Infinity: part of it still ran after the wait)',
  'ms',
  Object.fromEntries(
    Object.entries(goneSamples).map(([name, samples]) => [name, summarize(samples)]),
  ),
  {
    targets: [
      {
        row: 'timebox process',
        maxValue: 30,
        description: 'tree gone at most 30 ms after the rejection (median, graceMs 0)',
      },
    ],
  },
);
console.log('\nprocesses still running after the kill (kills × 2 pids):');
for (const [name, count] of Object.entries(survived)) {
  const skipped =
    notStarted[name] > 0 ? ` (${notStarted[name]} killed before they started it)` : '';
  console.log(`- ${name}: ${count} of ${goneSamples[name].length * 2}${skipped}`);
}

// ---------------------------------------------------------------- next task after a kill

// Kills are spaced so that the killed process's replacement has started before the next
// kill: with one spare, a kill that follows the previous one sooner than a process takes to
// start finds the spare still starting (measured separately below).
const replacementPause = 500;
const pause = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const startedAt = moduleTask('startedAt', 10_000);
const nextStart = { 'timebox process': [], 'workerpool process': [] };
const nextRoundTrip = await interleave(
  {
    'timebox process': async () => {
      const pidFile = freshPidFile();
      await runTaskWithTimeout(spin, [pidFile], { strategy: timebox }).catch(() => {});
      const called = Number(process.hrtime.bigint());
      const started = await runTaskWithTimeout(startedAt, [], { strategy: timebox });
      const roundTrip = (Number(process.hrtime.bigint()) - called) / 1e6;
      nextStart['timebox process'].push((started - called) / 1e6);
      const pids = lastPids(pidFile);
      if (pids) await goneAfter([pids.child, pids.grandchild], 3_000);
      await pause(replacementPause);
      return roundTrip;
    },
    'workerpool process': async () => {
      await pool.exec('add', [1, 2]);
      const pidFile = freshPidFile();
      await pool
        .exec('spinWithGrandchild', [pidFile])
        .timeout(limit)
        .catch(() => {});
      const called = Number(process.hrtime.bigint());
      const started = await pool.exec('startedAt', []);
      const roundTrip = (Number(process.hrtime.bigint()) - called) / 1e6;
      nextStart['workerpool process'].push((started - called) / 1e6);
      await pause(replacementPause);
      return roundTrip;
    },
  },
  rounds,
);
printTable(
  `next trivial task right after a kill, one process (kills ${replacementPause} ms apart): from the call until it starts in a child`,
  'ms',
  Object.fromEntries(
    Object.entries(nextStart).map(([name, samples]) => [name, summarize(samples)]),
  ),
  {
    baseline: 'workerpool process',
    targets: [
      {
        row: 'timebox process',
        maxValue: 5,
        description: 'next task starts within 5 ms (median)',
      },
    ],
  },
);
printTable(
  'the same, from the call until its result is back',
  'ms',
  Object.fromEntries(
    Object.entries(nextRoundTrip).map(([name, samples]) => [name, summarize(samples)]),
  ),
  { baseline: 'workerpool process' },
);

// ---------------------------------------------------------------- many consecutive kills

const loopFile = join(scratch, 'loop-pids');
writeFileSync(loopFile, '');
const looping = processStrategy({ maxProcesses: 1, graceMs: 0, stdio: 'ignore' });
const loopTask = defineTask({
  name: 'kill loop',
  timeout: limit,
  run: { module: tasksModule, export: 'spinWithGrandchild' },
});
const rss = [];
const heap = [];
const loopStart = performance.now();
for (let index = 1; index <= killCount; index++) {
  const error = await runTaskWithTimeout(loopTask, [loopFile], { strategy: looping }).catch(
    (e) => e,
  );
  if (error?.name !== 'TaskTimeoutError') throw error;
  if (index % 50 === 0) {
    globalThis.gc?.();
    const memory = process.memoryUsage();
    rss.push(memory.rss / 2 ** 20);
    heap.push(memory.heapUsed / 2 ** 20);
  }
}
const loopSeconds = (performance.now() - loopStart) / 1000;
await looping.close();
const loopPids = readFileSync(loopFile, 'utf8')
  .trim()
  .split('\n')
  .flatMap((line) => line.split(' ').map(Number));
const loopSurvivors = loopPids.filter(isRunning);
console.log(
  `\n### ${killCount} consecutive kills of tasks that each started \`sleep 1000\` (timebox process, one process, ${limit} ms limit)\n`,
);
console.log(
  `- ${killCount} kills in ${loopSeconds.toFixed(1)} s (${((loopSeconds * 1000) / killCount).toFixed(1)} ms per kill, mostly the replacement spare's start)`,
);
console.log(
  `- processes still running after close(): ${loopSurvivors.length} of the ${loopPids.length} recorded (${loopPids.length / 2} tasks started their grandchild before the limit)`,
);
console.log(`- host RSS every 50 kills (MiB): ${rss.map((value) => value.toFixed(1)).join(', ')}`);
console.log(
  `- host heap used every 50 kills (MiB${globalThis.gc ? ', after a full GC' : '; run with --expose-gc for a GC before each sample'}): ${heap.map((value) => value.toFixed(2)).join(', ')}`,
);
// The first samples include the allocator and JIT warming up; growth after that would be a leak.
const settledRss = rss[Math.min(1, rss.length - 1)];
const rssGrowth = rss.at(-1) - settledRss;
console.log(
  `- RSS change from ${rss.length > 1 ? '100' : '50'} kills to the last sample: ${rssGrowth.toFixed(1)} MiB (max − min over those: ${(Math.max(...rss.slice(1)) - Math.min(...rss.slice(1))).toFixed(1)} MiB)`,
);
console.log(
  `\ntarget: ${killCount} kills with no survivor and flat RSS — ${loopSurvivors.length === 0 && rssGrowth < 10 ? 'met' : 'NOT met'}`,
);

// ---------------------------------------------------------------- clean up

await Promise.all([timebox.close(), timeboxDefaultGrace.close(), pool.terminate(true)]);
