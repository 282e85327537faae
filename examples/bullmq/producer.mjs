// The producer: adds 12 jobs, two of them runaways (their loops would run for hours), and
// reports how each ended, from Redis alone — it runs on any machine, no worker in it:
//   node examples/bullmq/producer.mjs
import { readTaskFailure } from '@timebox/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { connection, queueName } from './connection.mjs';

const queue = new Queue(queueName, { connection });
const events = new QueueEvents(queueName, { connection });
await events.waitUntilReady();

const plan = [];
for (let index = 0; index < 10; index += 1) plan.push({ below: 50_000 + index * 10_000 });
plan.push({ below: 1e12 }); // runaway: stopped at the task's 2 s limit, tried twice
plan.push({ below: 1e12, timeoutMs: 500 }); // runaway with a limit of its own

const jobs = await queue.addBulk(
  plan.map((data) => ({
    name: 'count-primes',
    data,
    opts: { attempts: 2, backoff: { type: 'fixed', delay: 200 }, removeOnComplete: 100 },
  })),
);
console.log(`added ${jobs.length} jobs to '${queueName}'`);

// Wait (at most a minute) for every job to complete or fail for good.
const waiting = new Set(jobs.map((job) => job.id));
await new Promise((resolve) => {
  const settle = ({ jobId }) => {
    waiting.delete(jobId);
    if (waiting.size === 0) resolve();
  };
  events.on('completed', settle);
  events.on('failed', settle);
  setTimeout(resolve, 60_000).unref();
});

for (const added of jobs) {
  const job = await queue.getJob(added.id);
  const state = job ? await job.getState() : 'removed';
  if (state === 'completed') {
    console.log(`job ${added.id}: ${job.returnvalue.primes} primes below ${job.returnvalue.below}`);
  } else if (state === 'failed') {
    const failure = readTaskFailure(job);
    console.log(
      `job ${added.id}: failed after ${job.attemptsMade} attempts — ${failure?.name ?? 'Error'}: ${job.failedReason}` +
        (failure?.name === 'TaskTimeoutError'
          ? ` (elapsed ${failure.elapsed} ms, ${failure.strategy})`
          : ''),
    );
  } else {
    console.log(`job ${added.id}: still ${state} (is a worker running?)`);
  }
}

await events.close();
await queue.close();
