// The timebox demo: four tasks a real application meets, each run with a time limit by the
// strategy that timebox picks for it. Run it from the repository root with
//   npx -y pnpm@12.4.2 run demo
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  createSelector,
  createTimebox,
  defaultRules,
  defineRule,
  defineTask,
  isTaskTimeoutError,
  processIsolationTag,
  taskSignal,
} from 'timebox';

// A rule of our own on top of the defaults: tasks tagged 'cooperative' use the host's
// state and stop themselves when their signal aborts, so a soft timeout is enough.
const softForCooperative = defineRule('soft-for-cooperative', (task) =>
  task.tags.includes('cooperative')
    ? {
        strategy: 'thread',
        reason: 'tagged cooperative: it uses the host\u2019s state and stops itself on its signal',
      }
    : undefined,
);
const timebox = createTimebox({ selector: createSelector([softForCooperative, ...defaultRules]) });
const scratch = mkdtempSync(join(tmpdir(), 'timebox-demo-'));

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `isRunning` for up to three seconds; says how long after the error it stopped.
async function stoppedAfter(errorAt, isRunning) {
  while (await isRunning()) {
    if (performance.now() - errorAt > 3_000) return undefined;
    await pause(10);
  }
  return Math.round(performance.now() - errorAt);
}

const turns = new Int32Array(new SharedArrayBuffer(4));
const openRequests = new Set();
const pidFile = join(scratch, 'pids.json');

const scenarios = [
  {
    label: 'runaway CPU loop',
    task: defineTask({
      name: 'runaway CPU loop',
      timeout: 300,
      run: { module: new URL('./tasks/runaway-loop.mjs', import.meta.url) },
    }),
    args: [turns],
    async stopped(errorAt) {
      const stoppedIn = await stoppedAfter(errorAt, async () => {
        const before = Atomics.load(turns, 0);
        await pause(20);
        return Atomics.load(turns, 0) !== before;
      });
      return stoppedIn === undefined ? 'NO: still looping' : `yes, ${stoppedIn} ms after the error`;
    },
  },
  {
    label: 'async task that never settles',
    task: defineTask({
      name: 'async task that never settles',
      timeout: 300,
      tags: ['cooperative'],
      run: () => {
        const signal = taskSignal();
        const request = { started: Date.now() };
        openRequests.add(request);
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            openRequests.delete(request);
            reject(signal.reason);
          });
        });
      },
    }),
    args: [],
    async stopped() {
      await pause(0);
      return openRequests.size === 0
        ? 'yes, by itself: it heard its signal'
        : 'no: a soft timeout cannot stop it';
    },
  },
  {
    label: 'task that spawns a program',
    task: defineTask({
      name: 'task that spawns a program',
      timeout: 500,
      tags: [processIsolationTag],
      run: { module: new URL('./tasks/spawn-child-program.mjs', import.meta.url) },
    }),
    args: [pidFile],
    async stopped(errorAt) {
      if (!existsSync(pidFile)) return 'the task never started';
      const pids = JSON.parse(readFileSync(pidFile, 'utf8'));
      const stoppedIn = await stoppedAfter(
        errorAt,
        () => isAlive(pids.task) || isAlive(pids.program),
      );
      return stoppedIn === undefined
        ? `NO: ${isAlive(pids.task) ? 'the task' : 'its program'} is still running`
        : `yes, with its program, ${stoppedIn} ms after the error`;
    },
  },
  {
    label: 'task that finishes',
    task: defineTask({
      name: 'task that finishes',
      timeout: 2_000,
      run: (limit) => {
        let primes = 0;
        for (let candidate = 2; candidate < limit; candidate++) {
          let prime = true;
          for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
            if (candidate % divisor === 0) {
              prime = false;
              break;
            }
          }
          if (prime) primes++;
        }
        return primes;
      },
    }),
    args: [200_000],
    async stopped() {
      return 'nothing to stop';
    },
  },
];

console.log('timebox demo: four tasks, each with a time limit; timebox picks how to enforce it.\n');
const rows = [];
for (const [index, scenario] of scenarios.entries()) {
  const choice = timebox.explain(scenario.task);
  process.stdout.write(
    `[${index + 1}/${scenarios.length}] ${scenario.label} (limit ${scenario.task.timeout} ms) -> ${choice.name} ... `,
  );
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  let outcome;
  let errorAt = performance.now();
  try {
    const result = await timebox.runTaskWithTimeout(scenario.task, scenario.args);
    outcome = `finished in ${Math.round(performance.now() - started)} ms: ${result} primes`;
  } catch (error) {
    errorAt = performance.now();
    const after = Math.round(errorAt - started);
    outcome = isTaskTimeoutError(error)
      ? `${error.name} after ${after} ms (${error.enforcement})`
      : `${error.name}: ${error.message}`;
  }
  delay.disable();
  const stopped = await scenario.stopped(errorAt);
  console.log('done');
  rows.push({
    task: scenario.label,
    strategy: choice.name,
    why: choice.reason,
    outcome,
    stopped,
    hostDelay: `${(delay.max / 1e6).toFixed(0)} ms`,
  });
}
await timebox.close();
rmSync(scratch, { recursive: true, force: true });

// What this process still runs after close(): child processes (read from /proc where there
// is one) and worker threads or child-process handles that would keep it alive.
function leftRunning() {
  const left = process
    .getActiveResourcesInfo()
    .filter((resource) => resource === 'Worker' || resource === 'ProcessWrap');
  if (existsSync('/proc/self/stat')) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent === process.pid) left.push(`child process ${entry}`);
      } catch {
        // the process ended while we looked
      }
    }
  }
  return left;
}
const leftovers = leftRunning();

const columns = [
  ['task', 'task'],
  ['strategy', 'strategy'],
  ['outcome', 'what the caller got'],
  ['stopped', 'task stopped?'],
  ['hostDelay', 'host event-loop delay (max)'],
];
const widths = columns.map(([key, title]) =>
  Math.max(title.length, ...rows.map((row) => row[key].length)),
);
const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
console.log(`\n${line(columns.map(([, title]) => title))}`);
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of rows) console.log(line(columns.map(([key]) => row[key])));

console.log('\nWhy each strategy:');
for (const row of rows) console.log(`- ${row.task}: ${row.strategy}, because ${row.why}`);
console.log(
  '\nA limit counts from the moment the task starts running; the first task in a new worker or\n' +
    'process also waits for it to start, so its error comes a little later than the limit.',
);
console.log(
  '\nThe host stayed responsive throughout: hard limits run the task in a worker thread or a child process.',
);
console.log(
  leftovers.length === 0
    ? 'After close(), nothing is left running: no worker thread, no child process.'
    : `After close(), still running: ${leftovers.join(', ')}`,
);
