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
import {
  hostDelayThresholdMs,
  isProcessRunning,
  judgeFinished,
  judgeHostDelay,
  judgeStopped,
  judgeTimeout,
  pastLimitBoundMs,
  processStateFromStat,
  stoppedBoundMs,
} from './demo-verdicts.mjs';

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

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `isRunning` for up to three seconds; says how long after the error it stopped, or
// undefined when it was still running then.
async function stoppedAfter(errorAt, isRunning) {
  while (await isRunning()) {
    if (performance.now() - errorAt > 3_000) return undefined;
    await pause(10);
  }
  return performance.now() - errorAt;
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
      return judgeStopped(stoppedIn, 'the loop');
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
        ? { ok: true, text: 'yes: it stopped itself on its signal (0 requests left open)' }
        : {
            ok: false,
            text: `NO: ${openRequests.size} request left open (a soft timeout cannot stop it)`,
          };
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
      if (!existsSync(pidFile)) return { ok: false, text: 'NO: the task never started' };
      const pids = JSON.parse(readFileSync(pidFile, 'utf8'));
      const stoppedIn = await stoppedAfter(
        errorAt,
        () => isProcessRunning(pids.task) || isProcessRunning(pids.program),
      );
      const what =
        stoppedIn === undefined && !isProcessRunning(pids.task)
          ? `its program (pid ${pids.program})`
          : `the task's process (pid ${pids.task}) and its program (pid ${pids.program})`;
      return judgeStopped(stoppedIn, what);
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
      return { ok: true, text: 'nothing to stop: it finished' };
    },
  },
];

console.log('timebox demo: four tasks, each with a time limit; timebox picks how to enforce it.');
console.log(
  `Each line shows what was measured and the threshold it is judged by (host event-loop delay under ${hostDelayThresholdMs} ms,\n` +
    `a timed-out task stopped at most ${pastLimitBoundMs} ms past its limit, a stopped task gone within ${stoppedBoundMs} ms).`,
);
const verdicts = [];
let largestDelayMs = 0;
for (const [index, scenario] of scenarios.entries()) {
  const choice = timebox.explain(scenario.task);
  const limitMs = scenario.task.timeout;
  console.log(
    `\n[${index + 1}/${scenarios.length}] ${scenario.label} (limit ${limitMs} ms) -> ${choice.name}`,
  );
  console.log(`  why: ${choice.reason}`);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = performance.now();
  let outcome;
  let errorAt = performance.now();
  try {
    const result = await timebox.runTaskWithTimeout(scenario.task, scenario.args);
    const verdict = judgeFinished({ limitMs, tookMs: performance.now() - started });
    outcome = { ok: verdict.ok, text: `${result} primes, ${verdict.text}` };
  } catch (error) {
    errorAt = performance.now();
    if (isTaskTimeoutError(error)) {
      const verdict = judgeTimeout({
        limitMs,
        ranMs: error.elapsed,
        callToErrorMs: errorAt - started,
      });
      outcome = { ok: verdict.ok, text: `${error.name} (${error.enforcement}): ${verdict.text}` };
    } else {
      outcome = { ok: false, text: `UNEXPECTED ${error.name}: ${error.message}` };
    }
  }
  delay.disable();
  const stopped = await scenario.stopped(errorAt);
  const delayMs = delay.max / 1e6;
  largestDelayMs = Math.max(largestDelayMs, delayMs);
  console.log(`  the caller got: ${outcome.text}`);
  console.log(`  task stopped? ${stopped.text}`);
  console.log(
    `  host event-loop delay: ${Math.round(delayMs)} ms at most (responsive under ${hostDelayThresholdMs} ms)`,
  );
  verdicts.push(outcome, stopped);
}
await timebox.close();
rmSync(scratch, { recursive: true, force: true });

// What this process still runs after close(): child processes (read from /proc where there
// is one; a zombie counts as gone) and worker threads or child-process handles that would
// keep it alive.
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
        if (parent === process.pid && processStateFromStat(stat) !== 'Z') {
          left.push(`child process ${entry}`);
        }
      } catch {
        // the process ended while we looked
      }
    }
  }
  return left;
}
const leftovers = leftRunning();

const hostVerdict = judgeHostDelay(largestDelayMs);
const closeVerdict =
  leftovers.length === 0
    ? {
        ok: true,
        text: 'After close(), nothing is left running: no worker thread, no child process.',
      }
    : { ok: false, text: `After close(), still running: ${leftovers.join(', ')}` };
verdicts.push(hostVerdict, closeVerdict);
console.log(`\n${hostVerdict.text}`);
console.log(closeVerdict.text);
const failed = verdicts.filter((verdict) => !verdict.ok).length;
console.log(
  failed === 0
    ? `Every measurement met its threshold (${verdicts.length} of ${verdicts.length}).`
    : `${failed} of ${verdicts.length} measurements missed their threshold (marked above in capitals).`,
);
if (failed > 0) process.exitCode = 1;
