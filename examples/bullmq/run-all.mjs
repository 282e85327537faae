// The whole example on one machine: two worker processes and the producer, against the
// Redis on localhost:6379 (start one first, e.g. `redis-server --save '' --appendonly no`):
//   node examples/bullmq/run-all.mjs
// It stops the workers when the producer is done.
import { fork } from 'node:child_process';
import { once } from 'node:events';

const here = (file) => new URL(file, import.meta.url);

const workers = ['alpha', 'beta'].map((name) => fork(here('./worker.mjs'), [name]));
// Each worker says 'ready' once it is connected to Redis.
const ready = Promise.all(workers.map((worker) => once(worker, 'message')));
const timer = setTimeout(() => {
  console.error('the workers did not connect within 20 s: is Redis running?');
  for (const worker of workers) worker.kill('SIGTERM');
  process.exit(1);
}, 20_000);
await ready;
clearTimeout(timer);

const producer = fork(here('./producer.mjs'));
const [code] = await once(producer, 'exit');

for (const worker of workers) worker.kill('SIGTERM');
await Promise.all(workers.map((worker) => once(worker, 'exit')));
process.exitCode = code ?? 1;
