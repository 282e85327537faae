// One BullMQ worker process of a queue scenario (see run-queue-scenario.mjs), forked with
// its settings as JSON in argv[2]. Mode 'timebox' processes jobs with the built
// @timebox/bullmq processor; mode 'plain' runs the same functions directly in a plain
// BullMQ processor. It watches its own event loop, reports to its parent over IPC, and on
// {type:'close'} closes the worker (and the processor), reports, disconnects, and exits on
// its own: anything left running would keep it alive.
import { performance } from 'node:perf_hooks';
import { timeboxProcessor } from '@timebox/bullmq';
import { Worker } from 'bullmq';
import { taskForJob } from './job-task-definitions.mjs';
import { crash, fail, spin, square } from './job-tasks.mjs';

const settings = JSON.parse(process.argv[2]);
const connection = { host: '127.0.0.1', port: settings.redisPort };

const plainFunctions = { square, spin, crash, fail };
const processor =
  settings.mode === 'timebox'
    ? timeboxProcessor(taskForJob, {
        strategy: settings.strategy,
        timeout: settings.timeout,
        worker: { maxWorkers: settings.concurrency, spareWorkers: 1 },
        process: { maxProcesses: settings.concurrency, spareProcesses: 1 },
        unrecoverable: settings.unrecoverable ?? [],
      })
    : async (job) => plainFunctions[job.name](job.data);

// Event-loop watch: how long the loop could not run its timers (lock renewal among them).
const tick = 20;
let lastTick = performance.now();
let longestLagMs = 0;
let blockedMs = 0;
const blocks = [];
const heartbeat = setInterval(() => {
  const now = performance.now();
  const lag = now - lastTick - tick;
  lastTick = now;
  if (lag > longestLagMs) longestLagMs = lag;
  if (lag > 250) {
    blockedMs += lag;
    blocks.push(Math.round(lag));
  }
}, tick);

const stalled = [];
const errors = [];
const worker = new Worker(settings.queueName, processor, {
  connection,
  concurrency: settings.concurrency,
  lockDuration: settings.lockDuration,
  stalledInterval: settings.stalledInterval,
  maxStalledCount: settings.maxStalledCount,
});
if (settings.mode === 'timebox') processor.closeWith(worker);
worker.on('stalled', (jobId) => stalled.push(jobId));
worker.on('error', (error) => errors.push(String(error?.message ?? error)));

process.on('message', async (message) => {
  if (message?.type !== 'close') return;
  await worker.close();
  if (settings.mode === 'timebox') await processor.close();
  clearInterval(heartbeat);
  process.send(
    {
      type: 'report',
      pid: process.pid,
      mode: settings.mode,
      strategy: settings.strategy ?? null,
      stalled,
      errors,
      longestLagMs: Math.round(longestLagMs),
      blockedMs: Math.round(blockedMs),
      blocks,
      strategiesStarted:
        settings.mode === 'timebox'
          ? processor.timebox.strategies.filter((strategy) => strategy.started).map((s) => s.name)
          : [],
    },
    () => process.disconnect(),
  );
});

await worker.waitUntilReady();
process.send({ type: 'ready', pid: process.pid });
