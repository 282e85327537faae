import { silentLogger } from '@timebox/core';
import { type RunnerEventRecorder, recordRunnerEvents } from '@timebox/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EngineSettings, engineDefaults } from './engine-settings.js';
import { TaskEngine } from './task-engine.js';
import { FakeRunners, moduleRequest } from './test-support/fake-runner.js';

describe('TaskEngine runner events', () => {
  let runners: FakeRunners;
  let engines: TaskEngine[];
  let recorder: RunnerEventRecorder;

  const make = (overrides: Partial<EngineSettings> = {}): TaskEngine => {
    const engine = new TaskEngine({
      strategy: 'fake',
      runners,
      maxRunners: 1,
      spareRunners: 0,
      ...engineDefaults,
      logger: silentLogger,
      ...overrides,
    });
    engines.push(engine);
    return engine;
  };

  const runTask = (engine: TaskEngine, taskName: string, timeout = 1_000) => {
    const request = moduleRequest(taskName);
    return engine
      .run(taskName, () => request, { timeout, logger: silentLogger })
      .catch((error: unknown) => error);
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    runners = new FakeRunners();
    engines = [];
    recorder = recordRunnerEvents();
  });

  afterEach(async () => {
    recorder.stop();
    const closing = Promise.all(engines.map((engine) => engine.close()));
    await vi.runAllTimersAsync();
    await closing;
    vi.useRealTimers();
  });

  it('publishes killed, then quarantined, for a runner not confirmed gone within exitTimeout', async () => {
    const engine = make({ exitTimeout: 1_000 });
    const result = runTask(engine, 'blocked', 10);
    await vi.advanceTimersByTimeAsync(0);
    runners.runner(0).exitsOnStop = false;
    runners.runner(0).hearsAbort = false;
    await vi.advanceTimersByTimeAsync(10);
    await result;
    expect(recorder.events.map(({ event }) => event)).toEqual(['spawned', 'task-started']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(recorder.events.slice(2)).toEqual([
      {
        event: 'killed',
        strategy: 'fake',
        runnerId: 1,
        reason: 'timeout',
        task: 'blocked',
        forced: true,
      },
      {
        event: 'quarantined',
        strategy: 'fake',
        runnerId: 1,
        reason: expect.stringContaining('was not confirmed gone 1000 ms after it was stopped'),
      },
    ]);
  });

  it('publishes killed with reason idle when an idle runner is retired', async () => {
    const engine = make({ idleTimeout: 500 });
    const result = runTask(engine, 'quick');
    await vi.advanceTimersByTimeAsync(0);
    runners.runner(0).respond({ outcome: 'fulfilled', value: 1 });
    await result;
    await vi.advanceTimersByTimeAsync(500);
    expect(recorder.events.at(-1)).toEqual({
      event: 'killed',
      strategy: 'fake',
      runnerId: 1,
      reason: 'idle',
      task: undefined,
      forced: false,
    });
  });

  it('publishes killed with reason failed-start for a runner that does not start in time', async () => {
    runners.readyAtOnce = false;
    const engine = make({ startTimeout: 200, startAttempts: 1 });
    const result = runTask(engine, 'never starts');
    await vi.advanceTimersByTimeAsync(200);
    await result;
    expect(recorder.events).toEqual([
      { event: 'spawned', strategy: 'fake', runnerId: 1, spare: false },
      {
        event: 'killed',
        strategy: 'fake',
        runnerId: 1,
        reason: 'failed-start',
        task: undefined,
        forced: false,
      },
    ]);
  });

  it('publishes crashed without a task for a runner that dies between tasks', async () => {
    const engine = make();
    const result = runTask(engine, 'quick');
    await vi.advanceTimersByTimeAsync(0);
    runners.runner(0).respond({ outcome: 'fulfilled', value: 1 });
    await result;
    runners.runner(0).crash({ reason: 'signal', signal: 'SIGSEGV', exitCode: null });
    expect(recorder.events.at(-1)).toEqual({
      event: 'crashed',
      strategy: 'fake',
      runnerId: 1,
      task: undefined,
      exitCode: undefined,
      signal: 'SIGSEGV',
    });
  });
});
