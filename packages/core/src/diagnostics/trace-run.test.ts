import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskAbortedError } from '../errors/task-aborted-error.js';
import { TaskCrashedError } from '../errors/task-crashed-error.js';
import { TaskTimeoutError } from '../errors/task-timeout-error.js';
import { runTaskWithTimeout } from '../run-task-with-timeout.js';
import type { TimeoutStrategy } from '../strategy.js';
import { defineTask } from '../task.js';
import { timeboxChannels } from './channel-names.js';
import type { RunMessage } from './run-message.js';
import { traceRun } from './trace-run.js';

type EventName = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
const eventNames: EventName[] = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];
const rejectedRunEvents: EventName[] = ['start', 'end', 'error', 'asyncStart', 'asyncEnd'];

const runChannel = diagnosticsChannel.tracingChannel<string, RunMessage>(timeboxChannels.run);
let unsubscribe: (() => void) | undefined;

/** Subscribes to every event of `timebox:run`; returns what arrived, in order. */
function recordRunEvents(): Array<{ event: EventName; message: RunMessage }> {
  const events: Array<{ event: EventName; message: RunMessage }> = [];
  const handlers = Object.fromEntries(
    eventNames.map((event) => [
      event,
      (message: RunMessage) => {
        events.push({ event, message: { ...message } });
      },
    ]),
  ) as unknown as Record<EventName, (message: RunMessage) => void>;
  runChannel.subscribe(handlers);
  unsubscribe = () => runChannel.unsubscribe(handlers);
  return events;
}

afterEach(() => {
  unsubscribe?.();
  unsubscribe = undefined;
});

/** A strategy that settles each run with whatever `settle` returns or throws. */
function strategyThat(
  settle: () => Promise<unknown>,
  enforcement: 'soft' | 'hard' = 'hard',
): TimeoutStrategy {
  return {
    name: 'scripted',
    enforcement,
    supports: () => ({ supported: true }),
    run: () => settle() as never,
    close: async () => {},
  };
}

const task = defineTask({ name: 'traced task', timeout: 250, run: () => 'unused' });

function timeoutError(extra: Record<string, unknown> = {}): TaskTimeoutError {
  return Object.assign(
    new TaskTimeoutError({
      taskName: 'traced task',
      timeout: 250,
      elapsed: 251,
      strategy: 'scripted',
      enforcement: 'hard',
    }),
    extra,
  );
}

describe('the timebox:run tracing channel', () => {
  it('publishes start, end, asyncStart and asyncEnd for a run that resolves', async () => {
    const events = recordRunEvents();
    const metadata = { jobId: '42', queue: 'thumbnails' };
    const result = await runTaskWithTimeout(task, [], {
      strategy: strategyThat(async () => 'done'),
      metadata,
    });
    expect(result).toBe('done');
    expect(events.map(({ event }) => event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(events[0]?.message).toEqual({
      task: 'traced task',
      strategy: 'scripted',
      enforcement: 'hard',
      timeout: 250,
      metadata,
      startTime: expect.any(Number),
    });
    expect(events[3]?.message).toMatchObject({
      outcome: 'completed',
      elapsed: expect.any(Number),
      result: 'done',
    });
    expect(events[3]?.message.elapsed).toBeGreaterThanOrEqual(0);
  });

  it('publishes error before asyncStart for a timeout, with forced read from the error', async () => {
    const events = recordRunEvents();
    const error = timeoutError({ forced: true, stillRunning: false });
    await expect(
      runTaskWithTimeout(task, [], { strategy: strategyThat(() => Promise.reject(error)) }),
    ).rejects.toBe(error);
    expect(events.map(({ event }) => event)).toEqual(rejectedRunEvents);
    expect(events[2]?.message).toMatchObject({
      outcome: 'timed-out',
      forced: true,
      stillRunning: false,
      error,
    });
  });

  it('leaves forced undefined when the timeout error does not carry it', async () => {
    const events = recordRunEvents();
    const error = timeoutError();
    await expect(
      runTaskWithTimeout(task, [], { strategy: strategyThat(() => Promise.reject(error)) }),
    ).rejects.toBe(error);
    expect(events.at(-1)?.message.forced).toBeUndefined();
    expect(events.at(-1)?.message.stillRunning).toBe(false);
  });

  it.each([
    ['aborted', new TaskAbortedError({ taskName: 'traced task', phase: 'running', cause: 'stop' })],
    [
      'crashed',
      new TaskCrashedError({
        taskName: 'traced task',
        strategy: 'scripted',
        reason: 'exit',
        exitCode: 1,
      }),
    ],
    ['failed', new RangeError('the task threw')],
    ['failed', 'a thrown string'],
  ])('names the outcome %s', async (outcome, error) => {
    const events = recordRunEvents();
    await expect(
      runTaskWithTimeout(task, [], { strategy: strategyThat(() => Promise.reject(error)) }),
    ).rejects.toBe(error);
    expect(events.at(-1)?.message).toMatchObject({ outcome, error });
  });

  it('turns a synchronous throw of the strategy into a traced rejection', async () => {
    const events = recordRunEvents();
    const error = new Error('thrown before any promise');
    const throwing = strategyThat(() => {
      throw error;
    });
    await expect(runTaskWithTimeout(task, [], { strategy: throwing })).rejects.toBe(error);
    expect(events.map(({ event }) => event)).toEqual(rejectedRunEvents);
  });

  it("runs the strategy inside the stores bound to the start channel (an APM's context)", async () => {
    const store = new AsyncLocalStorage<string>();
    runChannel.start.bindStore(store, (message) => `span of ${message.task}`);
    try {
      recordRunEvents();
      const seen = await runTaskWithTimeout(task, [], {
        strategy: strategyThat(async () => {
          await Promise.resolve();
          return store.getStore();
        }),
      });
      expect(seen).toBe('span of traced task');
    } finally {
      runChannel.start.unbindStore(store);
    }
  });

  it('publishes nothing for a run rejected before it starts', async () => {
    const events = recordRunEvents();
    const signal = AbortSignal.abort();
    await expect(
      runTaskWithTimeout(task, [], { strategy: strategyThat(async () => 'never'), signal }),
    ).rejects.toMatchObject({ name: 'TaskAbortedError', phase: 'before-start' });
    expect(events).toEqual([]);
  });

  it("hands back the strategy's own promise when nobody subscribes", () => {
    const running = Promise.resolve('direct');
    const strategy = strategyThat(() => running);
    expect(traceRun('traced task', strategy, 250, undefined, () => running)).toBe(running);
  });

  it('publishes only while subscribed', async () => {
    const events = recordRunEvents();
    unsubscribe?.();
    await runTaskWithTimeout(task, [], { strategy: strategyThat(async () => 'done') });
    expect(events).toEqual([]);
  });
});

describe('the metadata option', () => {
  it.each([
    ['an array', ['job', 1], 'an array'],
    ['a string', 'job 1', '"job 1"'],
    ['null', null, 'null'],
    ['a function', () => 'job', 'function'],
  ])('refuses %s with a TypeError naming the task and the value', async (_, metadata, shown) => {
    const error = await runTaskWithTimeout(task, [], {
      strategy: strategyThat(async () => 'done'),
      metadata: metadata as never,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain("Task 'traced task': options.metadata");
    expect((error as Error).message).toContain(shown);
  });
});
