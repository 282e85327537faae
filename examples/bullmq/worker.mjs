// One worker machine: a BullMQ worker whose jobs run under timebox, each in a worker thread
// that is terminated at the job's limit. Start as many as you like, on as many machines as
// reach the Redis:
//   node examples/bullmq/worker.mjs alpha
//   node examples/bullmq/worker.mjs beta
// Ctrl-C (SIGINT) or SIGTERM closes it: it finishes its running jobs, then ends its threads.
import { defineTask, isTaskTimeoutError, timeboxProcessor } from '@timebox/bullmq';
import { Worker } from 'bullmq';
import { connection, queueName } from './connection.mjs';

const name = process.argv[2] ?? `worker-${process.pid}`;

const countPrimes = defineTask({
  name: 'count-primes',
  timeout: 2_000, // a job may ask for another limit in its data (jobTimeout below)
  run: { module: new URL('./reports.mjs', import.meta.url), export: 'countPrimes' },
});

const processor = timeboxProcessor(countPrimes, {
  jobTimeout: (job) => job.data.timeoutMs,
  worker: { maxWorkers: 2 }, // as many threads as the BullMQ concurrency below
});
const worker = processor.closeWith(
  new Worker(queueName, processor, { connection, concurrency: 2, name }),
);

worker.on('completed', (job, result) => {
  console.log(`[${name}] job ${job.id}: ${result.primes} primes below ${result.below}`);
});
worker.on('failed', (job, error) => {
  const what = isTaskTimeoutError(error)
    ? `stopped after ${Math.round(error.elapsed)} ms (limit ${error.timeout} ms, ${error.enforcement})`
    : `${error.name}: ${error.message}`;
  console.log(`[${name}] job ${job?.id} failed, attempt ${job?.attemptsMade}: ${what}`);
});
worker.on('error', (error) => console.error(`[${name}] ${error.message}`));

async function shutDown() {
  await worker.close();
  await processor.close();
  console.log(`[${name}] closed`);
}
process.once('SIGINT', shutDown);
process.once('SIGTERM', shutDown);

await worker.waitUntilReady();
console.log(
  `[${name}] waiting for jobs on '${queueName}' at ${connection.host}:${connection.port}`,
);
process.send?.('ready'); // to run-all.mjs, when it started this worker
