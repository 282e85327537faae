import { timeboxChannels } from '@timebox/core';
import { publishRunnerEvent } from '@timebox/core/strategy-kit';
import {
  defineTask,
  isTaskTimeoutError,
  runTaskWithTimeout,
  threadStrategy,
  workerStrategy,
} from 'timebox';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telemetryInMemory } from './telemetry-in-memory.mjs';
import { instrumentTimebox } from './timebox-instrumentation.mjs';

const errorStatus = 2;
const thread = threadStrategy();
const worker = workerStrategy({ maxWorkers: 1 });
let telemetry;
let uninstrument;

beforeEach(() => {
  telemetry = telemetryInMemory();
  uninstrument = instrumentTimebox(telemetry);
});

afterEach(async () => {
  uninstrument();
  await telemetry.shutdown();
});

afterAll(async () => {
  await thread.close();
  await worker.close();
});

/** The data points of `name`, as [attributes, value] pairs. */
async function points(name) {
  const metrics = await telemetry.metrics();
  return (metrics.get(name) ?? []).map((point) => [point.attributes, point.value]);
}

describe('the OpenTelemetry example', () => {
  it('makes a span and run metrics for a run that resolves, throws, times out and is aborted', async () => {
    const square = defineTask({ name: 'square', timeout: 1_000, run: async (n) => n * n });
    const parse = defineTask({ name: 'parse', timeout: 1_000, run: (text) => JSON.parse(text) });
    const hang = defineTask({ name: 'hang', timeout: 50, run: () => new Promise(() => {}) });
    const wait = defineTask({ name: 'wait', timeout: 5_000, run: () => new Promise(() => {}) });
    const aborting = new AbortController();
    const outcomes = Promise.allSettled([
      runTaskWithTimeout(square, [12], { strategy: thread, metadata: { requestId: 'r-1' } }),
      runTaskWithTimeout(parse, ['{ not json'], { strategy: thread }),
      runTaskWithTimeout(hang, [], { strategy: thread }),
      runTaskWithTimeout(wait, [], { strategy: thread, signal: aborting.signal }),
    ]);
    aborting.abort(new Error('the request was cancelled'));
    await outcomes;

    const spans = new Map(telemetry.spans().map((span) => [span.name, span]));
    expect([...spans.keys()].sort()).toEqual([
      'timebox hang',
      'timebox parse',
      'timebox square',
      'timebox wait',
    ]);
    expect(spans.get('timebox square').status.code).not.toBe(errorStatus);
    expect(spans.get('timebox square').attributes).toMatchObject({
      'timebox.task': 'square',
      'timebox.strategy': 'thread',
      'timebox.enforcement': 'soft',
      'timebox.timeout_ms': 1_000,
      'timebox.outcome': 'completed',
      'timebox.metadata.requestId': 'r-1',
    });
    for (const [name, outcome] of [
      ['timebox parse', 'failed'],
      ['timebox hang', 'timed-out'],
      ['timebox wait', 'aborted'],
    ]) {
      const span = spans.get(name);
      expect(span.status).toEqual({ code: errorStatus, message: outcome });
      expect(span.attributes['timebox.outcome']).toBe(outcome);
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
    }
    expect(spans.get('timebox hang').attributes['timebox.still_running']).toBe(true);
    expect(spans.get('timebox hang').attributes['timebox.elapsed_ms']).toBeGreaterThanOrEqual(49);

    const runs = await points('timebox.runs');
    expect(runs).toHaveLength(4);
    for (const outcome of ['completed', 'failed', 'timed-out', 'aborted']) {
      expect(runs).toContainEqual([
        { 'timebox.strategy': 'thread', 'timebox.outcome': outcome },
        1,
      ]);
    }
    expect(await points('timebox.timeouts')).toEqual([
      [{ 'timebox.strategy': 'thread', 'timebox.forced': false }, 1],
    ]);
    const [[labels, durations]] = await points('timebox.run.duration');
    expect(labels).toEqual({ 'timebox.strategy': 'thread' });
    expect(durations.count).toBe(4);
  });

  it('marks a runaway loop stopped by the worker strategy as timed out and no longer running', async () => {
    const runaway = defineTask({
      name: 'runaway',
      timeout: 100,
      run: { module: new URL('../tasks/runaway-loop.mjs', import.meta.url) },
    });
    const turns = new Int32Array(new SharedArrayBuffer(4));
    const error = await runTaskWithTimeout(runaway, [turns], { strategy: worker }).catch(
      (caught) => caught,
    );
    expect(isTaskTimeoutError(error)).toBe(true);
    // The runner is still being stopped: the span waits for the stop report.
    expect(error.stillRunning).toBe(true);
    expect(telemetry.spans()).toEqual([]);
    const report = await error.stopped;
    expect(report).toMatchObject({ confirmed: true, forced: true });
    const [span] = telemetry.spans();
    expect(span.name).toBe('timebox runaway');
    expect(span.attributes).toMatchObject({
      'timebox.strategy': 'worker',
      'timebox.enforcement': 'hard',
      'timebox.outcome': 'timed-out',
      'timebox.still_running': false,
      'timebox.forced': true,
    });
    expect(await points('timebox.timeouts')).toEqual([
      [{ 'timebox.strategy': 'worker', 'timebox.forced': true }, 1],
    ]);
  });

  it('counts runner events, forced kills and the wait for a runner', async () => {
    const runner = { strategy: 'worker', runnerId: 3 };
    publishRunnerEvent(timeboxChannels.runnerSpawned, { ...runner, spare: false });
    publishRunnerEvent(timeboxChannels.runnerTaskStarted, { ...runner, task: 'a', waitTime: 12 });
    publishRunnerEvent(timeboxChannels.runnerTaskStarted, { ...runner, task: 'b', waitTime: 30 });
    publishRunnerEvent(timeboxChannels.runnerKilled, {
      ...runner,
      reason: 'timeout',
      task: 'b',
      forced: true,
    });
    publishRunnerEvent(timeboxChannels.runnerKilled, {
      ...runner,
      reason: 'idle',
      task: undefined,
      forced: false,
    });

    const events = await points('timebox.runner.events');
    expect(events).toContainEqual([
      { 'timebox.strategy': 'worker', 'timebox.event': 'spawned' },
      1,
    ]);
    expect(events).toContainEqual([
      { 'timebox.strategy': 'worker', 'timebox.event': 'task-started' },
      2,
    ]);
    expect(events).toContainEqual([{ 'timebox.strategy': 'worker', 'timebox.event': 'killed' }, 2]);
    expect(await points('timebox.forced_kills')).toEqual([[{ 'timebox.strategy': 'worker' }, 1]]);
    const [[, waits]] = await points('timebox.wait.duration');
    expect(waits).toMatchObject({ count: 2, sum: 42, min: 12, max: 30 });
  });

  it('records nothing once uninstrumented', async () => {
    uninstrument();
    const square = defineTask({ name: 'square', timeout: 1_000, run: async (n) => n * n });
    await expect(runTaskWithTimeout(square, [3], { strategy: thread })).resolves.toBe(9);
    expect(telemetry.spans()).toEqual([]);
    expect(await points('timebox.runs')).toEqual([]);
  });
});
