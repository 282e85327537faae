import diagnosticsChannel from 'node:diagnostics_channel';
import { afterAll, describe, expect, it } from 'vitest';
import { createTimebox } from './create-timebox.js';
import { defineTask, type RunMessage, timeboxChannels } from './index.js';

const timebox = createTimebox();

afterAll(async () => {
  await timebox.close();
});

const whereAmI = defineTask<[], { pid: number; threadId: number }>({
  name: 'where am I, observed',
  timeout: 15_000,
  run: { module: new URL('./test-fixtures/tasks.mjs', import.meta.url), export: 'whereAmI' },
});

describe('a timebox run on the timebox:run channel', () => {
  it('names the strategy the selector picked and carries the metadata option', async () => {
    const settledRuns: RunMessage[] = [];
    const onAsyncEnd = (message: unknown) => {
      settledRuns.push(message as RunMessage);
    };
    const channel = `tracing:${timeboxChannels.run}:asyncEnd`;
    diagnosticsChannel.subscribe(channel, onAsyncEnd);
    try {
      await timebox.runTaskWithTimeout(whereAmI, [], { metadata: { requestId: 'r-1' } });
    } finally {
      diagnosticsChannel.unsubscribe(channel, onAsyncEnd);
    }
    expect(settledRuns).toEqual([
      expect.objectContaining({
        task: 'where am I, observed',
        strategy: 'worker',
        enforcement: 'hard',
        metadata: { requestId: 'r-1' },
        outcome: 'completed',
      }),
    ]);
  });

  it('refuses metadata that is not an object, naming the task', async () => {
    await expect(
      timebox.runTaskWithTimeout(whereAmI, [], { metadata: 'r-1' as never }),
    ).rejects.toThrow(
      new TypeError(
        `Task 'where am I, observed': options.metadata must be an object of facts about the run (such as { jobId, queue }), got "r-1"`,
      ),
    );
  });
});
