// The same queue processed two ways: by BullMQ worker processes with the @timebox/bullmq
// processor, and by the same number of worker processes with a plain BullMQ processor that
// runs the same functions on its event loop. 100 jobs, 10 of them runaway CPU loops.
// Reports the jobs' outcomes, the stalls BullMQ reported, and how long the runaways held
// their workers. Starts its own redis-server on a free loopback port (run
// scripts/ensure-redis.sh first if redis-server is missing). Run with:
//   node packages/bullmq/bench/stalls.mjs        (after building the package)
import { readTaskFailure } from '@timebox/bullmq';
import { machineLine, median } from '../../../bench/lib/stats.mjs';
import { startRedisServer } from '../test-support/redis-server.mjs';
import { runQueueScenario, standardJobs } from '../test-support/run-queue-scenario.mjs';

const settings = {
  total: 100,
  runaways: 10,
  runawayMs: 6_000,
  limit: 2_000,
  workers: ['worker', 'worker', 'worker'],
  concurrency: 2,
  lockDuration: 2_000,
  stalledInterval: 1_000,
  maxStalledCount: 1,
  attempts: 1,
};

const jobs = standardJobs({
  total: settings.total,
  runaways: settings.runaways,
  runawayMs: settings.runawayMs,
  slow: 5,
  slowMs: 200,
});

console.log(`# BullMQ runaway jobs: plain processor vs @timebox/bullmq\n\n${machineLine()}`);
console.log(
  `\n${settings.total} jobs (${settings.runaways} spin ${settings.runawayMs} ms, 5 spin 200 ms, the rest square a number), ` +
    `${settings.workers.length} worker processes × concurrency ${settings.concurrency}, ` +
    `lockDuration ${settings.lockDuration} ms, stalledInterval ${settings.stalledInterval} ms, ` +
    `maxStalledCount ${settings.maxStalledCount}, attempts ${settings.attempts}; ` +
    `the timebox processor's limit is ${settings.limit} ms (worker threads).`,
);

const server = await startRedisServer();
const rows = [];
try {
  for (const mode of ['plain', 'timebox']) {
    const result = await runQueueScenario({
      redisPort: server.port,
      mode,
      workers: settings.workers,
      concurrency: settings.concurrency,
      lockDuration: settings.lockDuration,
      stalledInterval: settings.stalledInterval,
      maxStalledCount: settings.maxStalledCount,
      attempts: settings.attempts,
      timeout: settings.limit,
      jobs,
      settleWithinMs: 120_000,
    });
    rows.push(summarise(mode, result));
  }
} finally {
  await server.stop();
}

const columns = [
  ['processor', (row) => row.mode],
  ['right results', (row) => `${row.right} / ${settings.total - settings.runaways}`],
  ['runaways failed with TaskTimeoutError', (row) => `${row.timedOut} / ${settings.runaways}`],
  ['other jobs failed', (row) => row.innocentFailed],
  ['stall events', (row) => row.stallEvents],
  ['jobs stalled', (row) => row.jobsStalled],
  ['runaway hold per run, median (ms)', (row) => row.holdMedian],
  ['event loop blocked, total (ms)', (row) => row.blockedTotal],
  ['longest event-loop block (ms)', (row) => row.longestBlock],
  ['wall time (ms)', (row) => row.wallMs],
  ['processes left behind', (row) => row.leftovers],
];
console.log(`\n| ${columns.map(([title]) => title).join(' | ')} |`);
console.log(`|${columns.map(() => '---').join('|')}|`);
for (const row of rows) {
  console.log(`| ${columns.map(([, value]) => value(row)).join(' | ')} |`);
}
console.log(
  '\nrunaway hold: how long one run of a runaway kept its worker busy — under the plain processor the whole worker process ' +
    "(both concurrency slots and its lock renewal) for the loop's length, as the event-loop blocks show; under timebox one " +
    'slot, a worker thread, until its limit, while the event loop stayed free.',
);

function summarise(mode, result) {
  const planned = new Map(result.jobs.map((job, index) => [job.id, jobs[index]]));
  let right = 0;
  let timedOut = 0;
  let innocentFailed = 0;
  const holds = [];
  for (const job of result.jobs) {
    const plan = planned.get(job.id);
    if (plan?.runaway) {
      if (job.failure?.name === 'TaskTimeoutError') timedOut += 1;
      for (const stack of job.stacktrace ?? []) {
        const record = readTaskFailure({ stacktrace: [stack] });
        if (record?.name === 'TaskTimeoutError') holds.push(record.elapsed);
      }
    } else if (job.state === 'completed' && deepEqual(job.returnvalue, plan?.expected)) {
      right += 1;
    } else {
      innocentFailed += 1;
    }
  }
  const blocks = result.workers.flatMap((worker) => worker.blocks ?? []);
  if (mode === 'plain') holds.push(...blocks.filter((block) => block >= settings.lockDuration));
  return {
    mode: mode === 'plain' ? 'plain BullMQ processor' : 'timeboxProcessor',
    right,
    timedOut,
    innocentFailed,
    stallEvents: result.stalledEvents.length,
    jobsStalled: result.jobs.filter((job) => job.stalledCounter > 0).length,
    holdMedian: holds.length === 0 ? '—' : `${Math.round(median(holds))} (${holds.length} runs)`,
    blockedTotal: result.workers.reduce((sum, worker) => sum + (worker.blockedMs ?? 0), 0),
    longestBlock: Math.max(...result.workers.map((worker) => worker.longestLagMs ?? 0)),
    wallMs: result.wallMs,
    leftovers: result.leftovers.length,
  };
}

function deepEqual(left, right) {
  return JSON.stringify(left) === JSON.stringify(right);
}
