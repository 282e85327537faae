import diagnosticsChannel from 'node:diagnostics_channel';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defineTask,
  isTaskTimeoutError,
  type RunMessage,
  runTaskWithTimeout,
  type Task,
  type TimeoutStrategy,
  timeboxChannels,
} from '@timebox/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StrategyCapabilities } from './strategy-capabilities.js';

type RunEvent = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';

const runEvents: RunEvent[] = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];
const resolvedRun: RunEvent[] = ['start', 'end', 'asyncStart', 'asyncEnd'];
const rejectedRun: RunEvent[] = ['start', 'end', 'error', 'asyncStart', 'asyncEnd'];

const conformanceTasks = new URL('./fixtures/conformance-tasks.js', import.meta.url);
const runChannelTasks = new URL('./fixtures/run-channel-tasks.js', import.meta.url);

function moduleTask(module: URL, exportName: string, timeout: number): Task<string[], unknown> {
  return defineTask<string[], unknown>({
    name: `run channel ${exportName}`,
    timeout,
    run: { module, export: exportName },
  });
}

interface RecordedEvent {
  readonly event: RunEvent;
  readonly message: RunMessage;
}

/**
 * The `timebox:run` tracing channel, seen by a subscriber, under one strategy: the events
 * of a run that resolves, one that times out, one the caller aborts and, for hard
 * strategies, a runaway loop that has to be stopped and a runner that crashes — each in
 * order, with the message naming the task, the strategy and the outcome.
 */
export function runChannelConformanceSuite(
  name: string,
  createStrategy: () => TimeoutStrategy,
  capabilities: StrategyCapabilities,
): void {
  describe(`${name} strategy on the timebox:run channel`, () => {
    const channel = diagnosticsChannel.tracingChannel(timeboxChannels.run);
    let strategy: TimeoutStrategy;
    let markers: string;
    let recorded: RecordedEvent[] = [];
    const handlers = Object.fromEntries(
      runEvents.map((event) => [
        event,
        (message: unknown) => {
          recorded.push({ event, message: { ...(message as RunMessage) } });
        },
      ]),
    ) as unknown as Parameters<typeof channel.subscribe>[0];

    /** The events of the runs of `task`, leaving out any other run in the process. */
    const eventsOf = (task: Task<string[], unknown>) =>
      recorded.filter(({ message }) => message.task === task.name);

    /** Runs `task` with a subscriber; returns its settlement and the events it published. */
    async function observe(task: Task<string[], unknown>, args: string[], signal?: AbortSignal) {
      const [settled] = await Promise.allSettled([
        runTaskWithTimeout(task, args, { strategy, signal, metadata: { suite: name } }),
      ]);
      const events = eventsOf(task);
      return { settled, events, order: events.map(({ event }) => event), last: events.at(-1) };
    }

    beforeAll(() => {
      strategy = createStrategy();
      markers = mkdtempSync(join(tmpdir(), 'timebox-run-channel-'));
      channel.subscribe(handlers);
    });

    afterEach(() => {
      recorded = [];
    });

    afterAll(async () => {
      channel.unsubscribe(handlers);
      await strategy.close();
      rmSync(markers, { recursive: true, force: true });
    });

    it('publishes start, end, asyncStart, asyncEnd for a run that resolves', async () => {
      const task = moduleTask(conformanceTasks, 'add', 10_000);
      const { settled, order, events, last } = await observe(task, [2, 3] as never);
      expect(settled).toEqual({ status: 'fulfilled', value: 5 });
      expect(order).toEqual(resolvedRun);
      expect(events[0]?.message).toMatchObject({
        task: task.name,
        strategy: strategy.name,
        enforcement: capabilities.enforcement,
        timeout: 10_000,
        metadata: { suite: name },
      });
      expect(last?.message).toMatchObject({ outcome: 'completed', result: 5 });
      expect(last?.message.elapsed).toBeGreaterThanOrEqual(0);
    });

    it('publishes error before asyncStart for a timeout, with the facts of the error', async () => {
      const task = moduleTask(conformanceTasks, 'neverSettle', 100);
      const { settled, order, last } = await observe(task, []);
      expect(order).toEqual(rejectedRun);
      const error = (settled as PromiseRejectedResult).reason as Record<string, unknown>;
      expect(last?.message).toMatchObject({
        outcome: 'timed-out',
        error,
        // A hard strategy rejects at once and is still stopping the runner then.
        stillRunning: true,
      });
      expect(last?.message.forced).toBe(
        typeof error.forced === 'boolean' ? error.forced : undefined,
      );
      expect(last?.message.elapsed).toBeGreaterThanOrEqual(99);
    });

    it("publishes the abort of a running task by the caller's signal", async () => {
      const started = join(markers, 'abort-started');
      const task = moduleTask(conformanceTasks, 'reportAbort', 10_000);
      const controller = new AbortController();
      const running = observe(task, [started, join(markers, 'abort-aborted')], controller.signal);
      await vi.waitFor(() => expect(existsSync(started)).toBe(true), { timeout: 5_000 });
      controller.abort(new Error('the caller changed its mind'));
      const { order, last } = await running;
      expect(order).toEqual(rejectedRun);
      expect(last?.message).toMatchObject({ outcome: 'aborted' });
      expect(last?.message.error).toMatchObject({ name: 'TaskAbortedError', phase: 'running' });
    });

    if (capabilities.enforcement === 'hard') {
      it('publishes a runaway loop stopped at its deadline as timed out and not running', async () => {
        const task = moduleTask(conformanceTasks, 'spinForever', 100);
        const { settled, order, last } = await observe(task, []);
        expect(order).toEqual(rejectedRun);
        const error = (settled as PromiseRejectedResult).reason;
        if (!isTaskTimeoutError(error)) throw error;
        // The message holds the facts at the rejection: the runner is still being stopped.
        expect(last?.message).toMatchObject({
          outcome: 'timed-out',
          stillRunning: true,
          forced: undefined,
        });
        // The error's stop report says how it ended (forced or not depends on the runner:
        // a process ends on SIGTERM, a spinning thread only on terminate()).
        const report = await error.stopped;
        expect(report.confirmed).toBe(true);
        expect(error).toMatchObject({ stillRunning: false, forced: report.forced });
        expect(typeof error.forced).toBe('boolean');
      });

      it('publishes a runner that dies during the task as crashed', async () => {
        const task = moduleTask(runChannelTasks, 'exitAtOnce', 10_000);
        const { settled, order, last } = await observe(task, []);
        expect(settled.status).toBe('rejected');
        expect(order).toEqual(rejectedRun);
        expect(last?.message).toMatchObject({ outcome: 'crashed' });
        expect(last?.message.error).toMatchObject({ name: 'TaskCrashedError' });
      });
    }
  });
}
