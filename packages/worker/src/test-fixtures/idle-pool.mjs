// Run as a child process: creates a strategy, runs tasks and a timeout, and does NOT call
// close(). A running task keeps the process alive (here nothing else does while the worker
// waits); once the pool is idle, the process must exit on its own.
import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { workerStrategy } from '../../dist/index.js';

const tasks = new URL('./tasks.mjs', import.meta.url);
const strategy = workerStrategy({ maxWorkers: 2, spareWorkers: 1 });
const add = defineTask({ name: 'idle add', timeout: 5_000, run: { module: tasks, export: 'add' } });
const spin = defineTask({
  name: 'idle spin',
  timeout: 50,
  run: { module: tasks, export: 'spinCounting' },
});
const slow = defineTask({
  name: 'idle slow',
  timeout: 5_000,
  run: () => new Promise((resolve) => setTimeout(() => resolve('waited'), 200)),
});
const unlimited = defineTask({
  name: 'idle unlimited',
  run: () => new Promise((resolve) => setTimeout(() => resolve('no limit'), 200)),
});
const waited = await runTaskWithTimeout(slow, [], { strategy });
const withoutLimit = await strategy.run(unlimited, [], {
  timeout: Number.POSITIVE_INFINITY,
  logger: console,
});
const sum = await runTaskWithTimeout(add, [2, 3], { strategy });
const timedOut = await runTaskWithTimeout(spin, [new SharedArrayBuffer(16)], { strategy }).catch(
  (error) => error.name,
);
process.stdout.write(JSON.stringify({ waited, withoutLimit, sum, timedOut }));
