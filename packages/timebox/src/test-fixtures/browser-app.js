// A tiny browser app that uses timebox as a bundler sees it (the `browser` export
// condition): it runs a task and a runaway, then leaves what it saw on window.
import { close, defineTask, explain, runTaskWithTimeout } from 'timebox';

const add = defineTask({ name: 'add', timeout: 5_000, run: (left, right) => left + right });
const runaway = defineTask({
  name: 'runaway',
  timeout: 100,
  run: () => {
    for (;;) {}
  },
});

const report = { selection: explain(add).name, reason: explain(add).reason };
report.sum = await runTaskWithTimeout(add, [2, 3]);
try {
  await runTaskWithTimeout(runaway, []);
} catch (error) {
  report.runaway = {
    name: error.name,
    strategy: error.strategy,
    enforcement: error.enforcement,
    stillRunning: error.stillRunning,
  };
}
await close();
window.timeboxReport = report;
