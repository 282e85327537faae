// A host program for the tests: runs tasks under the built process strategy without ever
// calling close(), in one of these modes:
//   orphan <pidFile> [spin|stop]  runs a task that starts a grandchild, then waits to be
//                            killed (the task blocks its thread, or stops its process)
//   idle <pidFile>           runs one task, writes the child's pid, and lets the host end
//   timeout <pidFile>        runs a task with a grandchild into its timeout, then ends
//   no-deadline <pidFile>    runs a task without a time limit straight through the strategy
import { writeFileSync } from 'node:fs';
import { defineTask, isTaskTimeoutError, runTaskWithTimeout } from '@timebox/core';
import { processStrategy } from '../../dist/index.js';

const [mode, pidFile, variant] = process.argv.slice(2);
const tasks = new URL('./tasks.mjs', import.meta.url);
const strategy = processStrategy({ maxProcesses: 1 });

if (mode === 'orphan') {
  const spawnGrandchild = defineTask({
    name: 'orphan',
    timeout: 600_000,
    run: { module: tasks, export: 'spawnGrandchild' },
  });
  await runTaskWithTimeout(
    spawnGrandchild,
    [pidFile, { spin: variant === 'spin', stop: variant === 'stop' }],
    { strategy },
  );
} else if (mode === 'idle') {
  const describeProcess = defineTask({
    name: 'idle',
    timeout: 10_000,
    run: { module: tasks, export: 'describeProcess' },
  });
  const described = await runTaskWithTimeout(describeProcess, ['HOME'], { strategy });
  writeFileSync(pidFile, JSON.stringify(described.pid));
} else if (mode === 'timeout') {
  const spawnGrandchild = defineTask({
    name: 'timeout',
    timeout: 1_000,
    run: { module: tasks, export: 'spawnGrandchild' },
  });
  const error = await runTaskWithTimeout(spawnGrandchild, [pidFile], { strategy }).catch(
    (caught) => caught,
  );
  if (!isTaskTimeoutError(error)) throw error;
} else if (mode === 'no-deadline') {
  // Nothing but the child keeps this host alive while it waits: no deadline timer.
  const describeProcess = defineTask({
    name: 'no deadline',
    run: { module: tasks, export: 'describeProcess' },
  });
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  // The second run finds the process idle, no longer holding the host open.
  await strategy.run(describeProcess, ['HOME'], { timeout: Infinity, logger });
  const described = await strategy.run(describeProcess, ['HOME'], { timeout: Infinity, logger });
  writeFileSync(pidFile, JSON.stringify(described.pid));
  await strategy.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
