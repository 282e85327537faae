// A host app with a TypeScript task module. Run it as `node --import tsx typescript-host.mjs`
// (or without tsx, for the errors): it runs the module's tasks under the worker and process
// strategies and the auto-selecting timebox, closes everything and prints one JSON report.
import { processStrategy } from '@timebox/process';
import { workerStrategy } from '@timebox/worker';
import { close, defineTask, explain, runTaskWithTimeout } from '../../dist/index.js';

const tasksModule = new URL('./typescript-tasks.ts', import.meta.url);
const double = defineTask({
  name: 'double',
  timeout: 10_000,
  run: { module: tasksModule, export: 'double' },
});
const spin = defineTask({
  name: 'spin',
  timeout: 1_000,
  run: { module: tasksModule, export: 'spin' },
});

/** The value, or the facts of the error, of one run. */
async function outcome(run) {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: { name: error.name, reason: error.reason, message: error.message } };
  }
}

const strategies = {
  worker: workerStrategy(),
  process: processStrategy(),
  // Children started without the host's Node options register tsx themselves.
  processWithoutHostOptions: processStrategy({ execArgv: [] }),
};
const report = {};
for (const [name, strategy] of Object.entries(strategies)) {
  report[name] = {
    support: strategy.supports(double),
    double: await outcome(() => runTaskWithTimeout(double, [21], { strategy })),
    spin: await outcome(() => runTaskWithTimeout(spin, [], { strategy })),
  };
  await strategy.close();
}
report.timebox = {
  choice: explain(double).strategy.name,
  double: await outcome(() => runTaskWithTimeout(double, [21])),
};
await close();
process.stdout.write(`${JSON.stringify(report)}\n`);
