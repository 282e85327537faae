// Runs one queue scenario against a Redis on 127.0.0.1: forks BullMQ worker processes
// (queue-worker.mjs), adds the jobs, waits (bounded) until every job completed or failed,
// closes the workers, and returns what happened: each job's final record, the stalls
// reported, each worker's event-loop report, and any process that outlived its worker.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readTaskFailure } from '@timebox/bullmq';
import { Queue, QueueEvents } from 'bullmq';

const workerScript = new URL('./queue-worker.mjs', import.meta.url);
const markerVariable = 'TIMEBOX_BULLMQ_SCENARIO_MARKER';

/**
 * The standard job mix: `total` jobs, of which `runaways` spin for `runawayMs` (every
 * `total / runaways`-th job), `slow` spin for `slowMs` and finish, and the rest square
 * their index.
 */
export function standardJobs({ total, runaways, runawayMs, slow = 0, slowMs = 100 }) {
  const every = Math.floor(total / runaways);
  const jobs = [];
  let slowLeft = slow;
  for (let index = 0; index < total; index += 1) {
    if (index % every === every - 1 && jobs.filter((job) => job.runaway).length < runaways) {
      jobs.push({ name: 'spin', data: { ms: runawayMs }, runaway: true });
    } else if (slowLeft > 0 && index % every === 0) {
      slowLeft -= 1;
      jobs.push({ name: 'spin', data: { ms: slowMs }, runaway: false, expected: 'spun' });
    } else {
      jobs.push({ name: 'square', data: { n: index }, runaway: false, expected: index * index });
    }
  }
  return jobs;
}

/** Runs a scenario; see run-queue-scenario.d.mts for the options and the result. */
export async function runQueueScenario(options) {
  const {
    redisPort,
    mode,
    workers,
    concurrency = 2,
    lockDuration = 2_000,
    stalledInterval = 1_000,
    maxStalledCount = 1,
    timeout,
    unrecoverable,
    jobs,
    attempts = 2,
    settleWithinMs = 40_000,
  } = options;
  const queueName = options.queueName ?? `scenario-${mode}-${randomUUID()}`;
  const connection = { host: '127.0.0.1', port: redisPort };
  const marker = randomUUID();
  const queue = new Queue(queueName, { connection });
  const queueEvents = new QueueEvents(queueName, { connection });
  const stalledEvents = [];
  queueEvents.on('stalled', ({ jobId }) => stalledEvents.push(jobId));
  await queueEvents.waitUntilReady();

  const children = workers.map((strategy) => {
    const settings = {
      redisPort,
      queueName,
      mode,
      strategy,
      concurrency,
      lockDuration,
      stalledInterval,
      maxStalledCount,
      timeout,
      unrecoverable,
    };
    const child = fork(workerScript, [JSON.stringify(settings)], {
      env: { ...process.env, [markerVariable]: marker },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const ready = waitForMessage(child, 'ready');
    const report = waitForMessage(child, 'report');
    return { child, exited, ready, report };
  });
  const seenProcesses = new Set();
  let closed = false;
  try {
    await withinMs(
      Promise.all(children.map(({ ready }) => ready)),
      20_000,
      'the worker processes did not get ready',
    );
    const started = performance.now();
    await queue.addBulk(
      jobs.map((job) => ({
        name: job.name,
        data: job.data,
        opts: { attempts, backoff: { type: 'fixed', delay: 50 }, ...job.opts },
      })),
    );
    let settled = false;
    while (performance.now() - started < settleWithinMs) {
      for (const pid of processesCarrying(marker)) seenProcesses.add(pid);
      const counts = await queue.getJobCounts('completed', 'failed');
      if (counts.completed + counts.failed === jobs.length) {
        settled = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const wallMs = Math.round(performance.now() - started);

    for (const { child } of children) child.send({ type: 'close' });
    closed = true;
    const reports = [];
    for (const { child, exited, report } of children) {
      const outcome = await Promise.race([
        Promise.all([report, exited]).then(([received, exit]) => ({ ...received, exit })),
        new Promise((resolve) => setTimeout(() => resolve(undefined), 30_000)),
      ]);
      if (outcome === undefined) {
        child.kill('SIGKILL');
        reports.push({ pid: child.pid, exit: 'did not exit within 30 s of close' });
      } else {
        reports.push(outcome);
      }
    }
    const leftovers = await survivors(processesCarrying(marker), 3_000);

    const records = [];
    const recorded = new Set();
    for (const job of await queue.getJobs(
      ['completed', 'failed', 'active', 'wait', 'waiting', 'delayed', 'prioritized', 'paused'],
      0,
      -1,
    )) {
      if (recorded.has(job.id)) continue;
      recorded.add(job.id);
      records.push({
        id: job.id,
        name: job.name,
        data: job.data,
        state: await job.getState(),
        returnvalue: job.returnvalue,
        failedReason: job.failedReason,
        stacktrace: job.stacktrace,
        failure: readTaskFailure(job) ?? null,
        attemptsMade: job.attemptsMade,
        attemptsStarted: job.attemptsStarted,
        stalledCounter: job.stalledCounter,
        processedOn: job.processedOn,
        finishedOn: job.finishedOn,
      });
    }
    records.sort((a, b) => Number(a.id) - Number(b.id));
    return {
      queueName,
      settled,
      wallMs,
      jobs: records,
      stalledEvents,
      workers: reports,
      processesSeen: seenProcesses.size,
      leftovers,
    };
  } finally {
    if (!closed) {
      for (const { child } of children) child.kill('SIGKILL');
    }
    await queueEvents.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

function waitForMessage(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message?.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code, signal) =>
      reject(new Error(`worker ${child.pid} exited (${code ?? signal}) before '${type}'`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function withinMs(promise, ms, message) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The running processes (not zombies) whose environment carries the scenario's marker. */
export function processesCarrying(marker) {
  const needle = `${markerVariable}=${marker}\0`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || !isRunning(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) found.push(pid);
    } catch {
      // it ended while we looked
    }
  }
  return found;
}

/** Whether `pid` is a running process (a zombie is not). */
export function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function survivors(pids, withinMsBound) {
  const deadline = performance.now() + withinMsBound;
  while (pids.some(isRunning) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids.filter(isRunning);
}
