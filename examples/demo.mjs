// The timebox demo: one task that finishes in time and one that does not, under the
// thread (soft) strategy. Run it with `npx -y pnpm@12.4.2 demo` from the repository root.
import { defineTask, isTaskTimeoutError, runTaskWithTimeout, taskSignal } from '@timebox/core';
import { threadStrategy } from '@timebox/thread';

const strategy = threadStrategy();

const quickTask = defineTask({
  name: 'fetch-greeting',
  timeout: 500,
  run: async (who) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return `hello, ${who}`;
  },
});

const stuckTask = defineTask({
  name: 'wait-for-a-reply-that-never-comes',
  timeout: 300,
  run: () => {
    const signal = taskSignal();
    return new Promise((resolve) => {
      // A cooperative task listens to its signal and stops itself at the deadline.
      signal.addEventListener('abort', () => resolve('stopped by its signal'));
    });
  },
});

async function show(task, args) {
  const started = performance.now();
  console.log(`\n▶ running '${task.name}' with a ${task.timeout} ms limit...`);
  try {
    const result = await runTaskWithTimeout(task, args, { strategy });
    const took = Math.round(performance.now() - started);
    console.log(`  ✔ finished in ${took} ms and returned ${JSON.stringify(result)}`);
  } catch (error) {
    const took = Math.round(performance.now() - started);
    if (!isTaskTimeoutError(error)) throw error;
    console.log(`  ✖ did not finish in time: the caller got a ${error.name} after ${took} ms.`);
    console.log(`    strategy: ${error.strategy} (${error.enforcement} timeout)`);
    console.log(
      `    may the task still be running? ${error.stillRunning ? 'yes: a soft timeout only stops waiting; the task was told to stop through its signal' : 'no: it was stopped'}`,
    );
  }
}

console.log('timebox demo: the same call, one task that finishes and one that times out.');
await show(quickTask, ['world']);
await show(stuckTask, []);
await strategy.close();
console.log(
  '\nThe soft (thread) strategy cannot stop a synchronous loop; @timebox/worker and @timebox/process enforce hard limits.',
);
