// A host whose own stderr nobody reads: runs one task (stdio 'inherit') that writes
// <bytes> to stderr, then prints on stdout, as JSON, how many bytes wait in this host's
// stderr and in the child's, closes the strategy and exits.
// Usage: node noisy-host.mjs <bytes>
import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { processStrategy } from '../../dist/index.js';

const bytes = Number(process.argv[2]);
const strategy = processStrategy({ maxProcesses: 1, spareProcesses: 0 });
const writeOutput = defineTask({
  name: 'noisy',
  timeout: 30_000,
  run: { module: new URL('./tasks.mjs', import.meta.url), export: 'writeOutputInSteps' },
});
const waitingInChild = await runTaskWithTimeout(writeOutput, ['stderr', bytes], { strategy });
// Give the host time to read what the child can still send.
await new Promise((resolve) => setTimeout(resolve, 500));
process.stdout.write(
  `${JSON.stringify({ waitingInHost: process.stderr.writableLength, waitingInChild })}\n`,
);
await strategy.close();
process.exit(0);
