// Imports the built package, runs three tasks with automatic selection, closes, and prints
// what was chosen and where each task ran as JSON. The process must then exit by itself.
import {
  close,
  defineTask,
  explain,
  processIsolationTag,
  runTaskWithTimeout,
} from '../../dist/index.js';

const tasksModule = new URL('./tasks.mjs', import.meta.url);
const warnings = [];
process.on('warning', (warning) => {
  if (warning.name === 'TimeboxWarning') warnings.push(warning.message);
});

const tasks = {
  module: defineTask({
    name: 'module',
    timeout: 10_000,
    run: { module: tasksModule, export: 'whereAmI' },
  }),
  inline: defineTask({
    name: 'inline',
    timeout: 10_000,
    run: () => ({
      pid: process.pid,
      threadId: process.getBuiltinModule('node:worker_threads').threadId,
    }),
  }),
  isolated: defineTask({
    name: 'isolated',
    timeout: 10_000,
    tags: [processIsolationTag],
    run: { module: tasksModule, export: 'whereAmI' },
  }),
};

const report = { pid: process.pid, tasks: {} };
for (const [key, task] of Object.entries(tasks)) {
  const { name, rule } = explain(task);
  try {
    report.tasks[key] = { name, rule, ranAt: await runTaskWithTimeout(task) };
  } catch (error) {
    report.tasks[key] = { name, rule, error: `${error.name}: ${error.message}` };
  }
}
await close();
// Warnings are emitted on the next tick.
await new Promise((resolve) => setImmediate(resolve));
report.warnings = warnings;
process.stdout.write(`${JSON.stringify(report)}\n`);
