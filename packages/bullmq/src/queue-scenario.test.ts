// Several BullMQ worker processes on one queue, against the tests' Redis: the built package
// under load, compared with a plain BullMQ processor. The comparison with numbers is
// bench/stalls.mjs; here each side is asserted.
import { describe, expect, inject, it } from 'vitest';
import { childrenOf, eventually } from '../test-support/queue-test-helpers.js';
import { runQueueScenario, standardJobs } from '../test-support/run-queue-scenario.mjs';

const redisPort = inject('redisPort');

describe('a queue with several worker processes', () => {
  it('fails every runaway with TaskTimeoutError at its limit and completes every other job, with no stall and no process left', async () => {
    const limit = 2_000;
    const lockDuration = 1_500;
    // Every other runaway may be tried twice: its attempts, not the runaway, decide.
    let runawayCount = 0;
    const jobs = standardJobs({
      total: 100,
      runaways: 10,
      runawayMs: 60_000,
      slow: 5,
      slowMs: 200,
    }).map((job) => (job.runaway ? { ...job, opts: { attempts: (runawayCount++ % 2) + 1 } } : job));
    const result = await runQueueScenario({
      redisPort,
      mode: 'timebox',
      workers: ['worker', 'worker', 'process'],
      concurrency: 2,
      // The limit is longer than the lock: a blocked event loop would lose the lock and the
      // job would be reported stalled.
      lockDuration,
      stalledInterval: 750,
      timeout: limit,
      attempts: 2,
      jobs,
    });

    expect(result.settled).toBe(true);
    expect(result.jobs).toHaveLength(100);
    result.jobs.forEach((job, index) => {
      const planned = jobs[index]!;
      expect(job.name).toBe(planned.name);
      expect(job.stalledCounter).toBe(0);
      if (planned.runaway) {
        const attempts = (planned.opts as { attempts: number }).attempts;
        expect(job.state).toBe('failed');
        expect(job.attemptsMade).toBe(attempts);
        expect(job.stacktrace).toHaveLength(attempts);
        for (const stack of job.stacktrace!) expect(stack).toMatch(/^TaskTimeoutError: /);
        expect(job.failedReason).toMatch(
          /^Task 'spin' timed out after 2000 ms; the (worker|process) strategy is stopping it$/,
        );
        expect(job.failure).toMatchObject({
          name: 'TaskTimeoutError',
          taskName: 'spin',
          timeout: limit,
          enforcement: 'hard',
          // The failure is recorded at the rejection, while the runner is being stopped.
          stillRunning: true,
        });
        // Timers run on the event loop's millisecond clock: a deadline may fire a fraction
        // of a millisecond before the precise clock says the limit has passed.
        expect(job.failure!.elapsed).toBeGreaterThanOrEqual(limit - 2);
        expect(job.failure!.elapsed).toBeLessThan(limit + 3_000);
        expect(job.finishedOn! - job.processedOn!).toBeLessThan(limit + 3_000);
      } else {
        expect(job.state).toBe('completed');
        expect(job.returnvalue).toEqual(planned.expected);
        expect(job.attemptsMade).toBe(1);
      }
    });
    const runawayStrategies = new Set(result.jobs.map((job) => job.failure?.strategy));
    expect(runawayStrategies).toContain('worker');
    expect(runawayStrategies).toContain('process');

    expect(result.stalledEvents).toEqual([]);
    for (const worker of result.workers) {
      expect(worker.exit).toEqual({ code: 0, signal: null });
      expect(worker.stalled).toEqual([]);
      expect(worker.strategiesStarted).toEqual([]);
      expect(worker.longestLagMs).toBeLessThan(lockDuration);
    }
    // Three workers and the process strategy's children were seen; none outlived them.
    expect(result.processesSeen).toBeGreaterThan(3);
    expect(result.leftovers).toEqual([]);
    expect(await eventually(() => childrenOf(process.pid).length === 0, 5_000)).toBe(true);
  });

  it('stalls under a plain BullMQ processor: a runaway blocks its worker past the lock', async () => {
    const result = await runQueueScenario({
      redisPort,
      mode: 'plain',
      workers: ['worker', 'worker'],
      concurrency: 1,
      lockDuration: 1_000,
      stalledInterval: 500,
      maxStalledCount: 1,
      attempts: 1,
      jobs: standardJobs({ total: 20, runaways: 2, runawayMs: 2_000 }),
      settleWithinMs: 30_000,
    });

    const stalledJobs = result.jobs.filter((job) => job.stalledCounter > 0);
    const longestBlock = Math.max(...result.workers.map((worker) => worker.longestLagMs ?? 0));
    console.info(
      `plain processor: ${result.stalledEvents.length} stall events, ${stalledJobs.length} jobs stalled, longest event-loop block ${longestBlock} ms, ${result.wallMs} ms`,
    );
    expect(result.stalledEvents.length + stalledJobs.length).toBeGreaterThan(0);
    expect(longestBlock).toBeGreaterThanOrEqual(1_800);
    expect(result.leftovers).toEqual([]);
  });
});
