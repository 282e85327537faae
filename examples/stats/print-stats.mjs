// Prints a hard strategy's stats() once a second while tasks of every kind flow through
// it: queued and running tasks, idle and spare runners, completed, timed-out and crashed
// tasks, kills, and the wait and run time percentiles. Run it with
//   npx -y pnpm@12.4.2 --filter @timebox/examples run stats   [-- --seconds=5]
// (after `npx -y pnpm@12.4.2 run build`). A strategy without stats() says so and stops.
import { defineTask, runTaskWithTimeout, workerStrategy } from 'timebox';
import { statsLine } from './stats-line.mjs';

const secondsOption = process.argv.find((argument) => argument.startsWith('--seconds='));
const seconds = secondsOption === undefined ? 5 : Number(secondsOption.slice('--seconds='.length));
const strategy = workerStrategy({ maxWorkers: 2 });

if (typeof strategy.stats !== 'function') {
  console.log('this version of the worker strategy has no stats(); nothing to print');
  await strategy.close();
  process.exit(0);
}

const runaway = defineTask({
  name: 'runaway',
  timeout: 100,
  run: { module: new URL('../tasks/runaway-loop.mjs', import.meta.url) },
});
const quick = defineTask({
  name: 'quick',
  timeout: 1_000,
  run: (milliseconds) => new Promise((resolve) => setTimeout(() => resolve('done'), milliseconds)),
});

let running = true;
async function feed() {
  const turns = new Int32Array(new SharedArrayBuffer(4));
  for (let round = 0; running; round++) {
    const batch = Array.from({ length: 8 }, (_, index) =>
      runTaskWithTimeout(quick, [5 + ((round + index) % 20)], { strategy }),
    );
    if (round % 5 === 0) batch.push(runTaskWithTimeout(runaway, [turns], { strategy }));
    await Promise.allSettled(batch);
  }
}

const feeding = feed();
const printer = setInterval(() => console.log(statsLine(strategy.stats())), 1_000);
await new Promise((resolve) => setTimeout(resolve, seconds * 1_000 + 100));
clearInterval(printer);
running = false;
await feeding;
await strategy.close();
