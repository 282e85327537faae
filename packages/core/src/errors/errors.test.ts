import { describe, expect, it } from 'vitest';
import { deserializeThrown } from '../codec/deserialize-thrown.js';
import { serializeThrown } from '../codec/serialize-thrown.js';
import { isTaskAbortedError, TaskAbortedError } from './task-aborted-error.js';
import { isTaskCrashedError, TaskCrashedError } from './task-crashed-error.js';
import { isTaskModuleLoadError, TaskModuleLoadError } from './task-module-load-error.js';
import { isTaskSerializationError, TaskSerializationError } from './task-serialization-error.js';
import { isTaskTimeoutError, type TaskStopReport, TaskTimeoutError } from './task-timeout-error.js';
import { isTaskUnsupportedError, TaskUnsupportedError } from './task-unsupported-error.js';
import { isTimeboxError, TimeboxError } from './timebox-error.js';

describe('TaskTimeoutError', () => {
  it('carries every fact of a soft timeout and says the task may still be running', () => {
    const cause = new Error('deadline');
    const error = new TaskTimeoutError({
      taskName: 'resize',
      timeout: 100,
      elapsed: 101.3,
      strategy: 'thread',
      enforcement: 'soft',
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(TimeboxError);
    expect(error).toMatchObject({
      name: 'TaskTimeoutError',
      taskName: 'resize',
      timeout: 100,
      elapsed: 101.3,
      strategy: 'thread',
      enforcement: 'soft',
      stillRunning: true,
      cause,
    });
    expect(error.message).toBe(
      "Task 'resize' timed out after 100 ms; the thread strategy cannot stop it, it may still be running",
    );
  });

  it('says a hard timeout stopped the task, and has no cause unless given one', () => {
    const error = new TaskTimeoutError({
      taskName: 'resize',
      timeout: 250,
      elapsed: 260,
      strategy: 'worker',
      enforcement: 'hard',
    });
    expect(error.stillRunning).toBe(false);
    expect(error.message).toBe(
      "Task 'resize' timed out after 250 ms; the worker strategy stopped it",
    );
    expect('cause' in error).toBe(false);
  });

  it('carries the stop report of a hard strategy, not enumerable, and the flags it updates survive the codec', async () => {
    let finish: (report: TaskStopReport) => void = () => {};
    const stopped = new Promise<TaskStopReport>((resolve) => {
      finish = resolve;
    });
    const error = new TaskTimeoutError({
      taskName: 'blocked',
      timeout: 300,
      elapsed: 301,
      strategy: 'worker',
      enforcement: 'hard',
      stopped,
    });
    expect(error.stopped).toBe(stopped);
    expect(Object.keys(error)).not.toContain('stopped');
    expect(error.forced).toBeUndefined();
    error.forced = true;
    error.stillRunning = true;
    finish({ confirmed: false, forced: true, afterMs: 5_000, reason: 'blocked in a system call' });
    await expect(error.stopped).resolves.toMatchObject({
      confirmed: false,
      reason: 'blocked in a system call',
    });
    const rebuilt = deserializeThrown(structuredClone(serializeThrown(error)));
    expect(rebuilt).toMatchObject({ name: 'TaskTimeoutError', stillRunning: true, forced: true });
  });

  it('says a hard timeout is still running until its stop report confirms the runner gone', async () => {
    let finish: (report: TaskStopReport) => void = () => {};
    const stopped = new Promise<TaskStopReport>((resolve) => {
      finish = resolve;
    });
    const error = new TaskTimeoutError({
      taskName: 'spin',
      timeout: 100,
      elapsed: 100.2,
      strategy: 'process',
      enforcement: 'hard',
      stopped,
    });
    expect(error.stillRunning).toBe(true);
    expect(error.forced).toBeUndefined();
    expect(error.message).toBe(
      "Task 'spin' timed out after 100 ms; the process strategy is stopping it",
    );
    finish({ confirmed: true, forced: true, afterMs: 12 });
    await error.stopped;
    expect(error).toMatchObject({ stillRunning: false, forced: true });
  });

  it('stays still running when its stop report could not confirm the runner gone', async () => {
    const error = new TaskTimeoutError({
      taskName: 'blocked',
      timeout: 100,
      elapsed: 100.2,
      strategy: 'worker',
      enforcement: 'hard',
      stopped: Promise.resolve({ confirmed: false, forced: true, afterMs: 5_000 }),
    });
    await error.stopped;
    expect(error).toMatchObject({ stillRunning: true, forced: true });
  });

  it('takes stillRunning from its options, and has a settled stop report when none is given', async () => {
    const error = new TaskTimeoutError({
      taskName: 'unknown',
      timeout: 1,
      elapsed: 1,
      strategy: 'custom',
      enforcement: 'hard',
      stillRunning: true,
    });
    expect(error.stillRunning).toBe(true);
    await expect(error.stopped).resolves.toMatchObject({ confirmed: false, forced: false });
  });

  it('says a hard timeout may leave the task running when the runtime cannot stop it at once', () => {
    const error = new TaskTimeoutError({
      taskName: 'resize',
      timeout: 100,
      elapsed: 100.4,
      strategy: 'web-worker',
      enforcement: 'hard',
      stillRunningReason: 'Deno does not stop a worker busy in synchronous code',
    });
    expect(error).toMatchObject({ enforcement: 'hard', stillRunning: true });
    expect(error.message).toBe(
      "Task 'resize' timed out after 100 ms; the web-worker strategy terminated it, but it may still be running: Deno does not stop a worker busy in synchronous code",
    );
  });
});

describe('TaskCrashedError', () => {
  const base = { taskName: 'render', strategy: 'process' } as const;

  it.each([
    [
      { ...base, reason: 'exit', exitCode: 3, pid: 4242 },
      "Task 'render' crashed: process 4242 exited with code 3",
    ],
    [
      { ...base, reason: 'signal', signal: 'SIGKILL', pid: 7 },
      "Task 'render' crashed: process 7 was killed by SIGKILL",
    ],
    [
      { ...base, strategy: 'worker', reason: 'out-of-memory', threadId: 2 },
      "Task 'render' crashed: the worker ran out of memory",
    ],
    [
      { ...base, strategy: 'worker', reason: 'uncaught-exception', detail: 'boom in a timer' },
      "Task 'render' crashed: the worker threw outside the task (boom in a timer)",
    ],
    [
      { ...base, reason: 'spawn-failed', pid: 1, detail: 'ENOENT' },
      "Task 'render' crashed: process 1 could not be started (ENOENT)",
    ],
    [
      { ...base, reason: 'disconnected', pid: 99 },
      "Task 'render' crashed: process 99 lost its connection to the host",
    ],
  ] as const)('describes %o as %s', (options, message) => {
    const error = new TaskCrashedError(options);
    expect(error.message).toBe(message);
    expect(error.name).toBe('TaskCrashedError');
    expect(error.reason).toBe(options.reason);
  });

  it('carries its fields, null for absent exit code and signal', () => {
    const cause = new Error('exit');
    const error = new TaskCrashedError({
      taskName: 'render',
      strategy: 'process',
      reason: 'exit',
      exitCode: 1,
      signal: null,
      pid: 321,
      cause,
    });
    expect(error).toMatchObject({
      taskName: 'render',
      strategy: 'process',
      reason: 'exit',
      exitCode: 1,
      signal: null,
      pid: 321,
      threadId: undefined,
      cause,
    });
    const bare = new TaskCrashedError({ taskName: 'render', strategy: 'worker', reason: 'signal' });
    expect(bare.exitCode).toBeNull();
    expect(bare.signal).toBeNull();
    expect(bare.pid).toBeUndefined();
    expect(bare.threadId).toBeUndefined();
  });
});

describe('TaskSerializationError', () => {
  it('names the subject, the path and the reason', () => {
    const cause = new TypeError('could not be cloned');
    const error = new TaskSerializationError({
      taskName: 'upload',
      subject: 'argument',
      path: 'args[1].handler',
      reason: 'function handler cannot be cloned',
      cause,
    });
    expect(error).toMatchObject({
      name: 'TaskSerializationError',
      taskName: 'upload',
      subject: 'argument',
      path: 'args[1].handler',
      reason: 'function handler cannot be cloned',
      cause,
    });
    expect(error.message).toBe(
      "Task 'upload': args[1].handler cannot be sent across the boundary: function handler cannot be cloned",
    );
  });
});

describe('TaskAbortedError', () => {
  it.each([
    ['before-start', 'before it started'],
    ['queued', 'while it waited in the queue'],
    ['running', 'while it was running'],
  ] as const)('says when it aborted: %s', (phase, when) => {
    const reason = new Error('user cancelled');
    const error = new TaskAbortedError({ taskName: 'export', phase, cause: reason });
    expect(error).toMatchObject({ name: 'TaskAbortedError', taskName: 'export', phase });
    expect(error.cause).toBe(reason);
    expect(error.message).toBe(`Task 'export' was aborted by the caller's signal ${when}`);
  });

  it('keeps an undefined cause as an own property', () => {
    const error = new TaskAbortedError({ taskName: 'export', phase: 'queued', cause: undefined });
    expect(Object.hasOwn(error, 'cause')).toBe(true);
    expect(error.cause).toBeUndefined();
  });
});

describe('TaskUnsupportedError', () => {
  it('names the strategy and its reason', () => {
    const error = new TaskUnsupportedError({
      taskName: 'closure',
      strategy: 'worker',
      reason: 'closures cannot be sent to a worker',
    });
    expect(error).toMatchObject({
      name: 'TaskUnsupportedError',
      taskName: 'closure',
      strategy: 'worker',
      reason: 'closures cannot be sent to a worker',
    });
    expect(error.message).toBe(
      "Task 'closure' cannot run under the worker strategy: closures cannot be sent to a worker",
    );
  });
});

describe('TimeboxError', () => {
  it('is the base of the family, naming its task', () => {
    const error = new TimeboxError('something about a task', { taskName: 'base' });
    expect(error).toMatchObject({ name: 'TimeboxError', taskName: 'base' });
    expect(error.message).toBe('something about a task');
    expect('cause' in error).toBe(false);
  });
});

describe('TaskModuleLoadError', () => {
  it('names the task, the export, the module and the detail', () => {
    const cause = new Error('Cannot find module');
    const error = new TaskModuleLoadError({
      taskName: 'resize',
      module: 'file:///srv/tasks/resize.js',
      exportName: 'resize',
      reason: 'not-found',
      detail: 'the module was not found',
      cause,
    });
    expect(error).toMatchObject({
      name: 'TaskModuleLoadError',
      taskName: 'resize',
      module: 'file:///srv/tasks/resize.js',
      exportName: 'resize',
      reason: 'not-found',
      cause,
    });
    expect(error.message).toBe(
      "Task 'resize': could not load the export 'resize' of file:///srv/tasks/resize.js: the module was not found",
    );
  });
});

describe('guards', () => {
  const errors = {
    timeout: new TaskTimeoutError({
      taskName: 't',
      timeout: 1,
      elapsed: 1,
      strategy: 'thread',
      enforcement: 'soft',
    }),
    crashed: new TaskCrashedError({ taskName: 't', strategy: 'worker', reason: 'exit' }),
    serialization: new TaskSerializationError({
      taskName: 't',
      subject: 'result',
      path: 'result',
      reason: 'r',
    }),
    aborted: new TaskAbortedError({ taskName: 't', phase: 'running', cause: undefined }),
    unsupported: new TaskUnsupportedError({ taskName: 't', strategy: 'worker', reason: 'r' }),
    moduleLoad: new TaskModuleLoadError({
      taskName: 't',
      module: 'm',
      exportName: 'default',
      reason: 'not-found',
      detail: 'd',
    }),
  };
  const guards = {
    timeout: [isTaskTimeoutError, TaskTimeoutError.isInstance],
    crashed: [isTaskCrashedError, TaskCrashedError.isInstance],
    serialization: [isTaskSerializationError, TaskSerializationError.isInstance],
    aborted: [isTaskAbortedError, TaskAbortedError.isInstance],
    unsupported: [isTaskUnsupportedError, TaskUnsupportedError.isInstance],
    moduleLoad: [isTaskModuleLoadError, TaskModuleLoadError.isInstance],
  } as const;

  for (const [kind, [guard, isInstance]] of Object.entries(guards)) {
    it(`${guard.name} and the static isInstance recognise only their own error (${kind})`, () => {
      for (const [otherKind, error] of Object.entries(errors)) {
        expect(guard(error)).toBe(otherKind === kind);
        expect(isInstance(error)).toBe(otherKind === kind);
      }
    });
  }

  it('isTimeboxError and TimeboxError.isInstance recognise the whole family', () => {
    for (const error of Object.values(errors)) {
      expect(isTimeboxError(error)).toBe(true);
      expect(TimeboxError.isInstance(error)).toBe(true);
    }
    expect(isTimeboxError(new TimeboxError('m', { taskName: 't' }))).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('x')],
    [
      'an error named TaskTimeoutError',
      Object.assign(new Error('x'), { name: 'TaskTimeoutError' }),
    ],
    ['a look-alike object', { name: 'TaskTimeoutError', taskName: 't', timeout: 1 }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'TaskTimeoutError'],
    ['a number', 42],
    ['a function', () => {}],
  ])('every guard rejects %s', (_label, value) => {
    for (const [guard, isInstance] of Object.values(guards)) {
      expect(guard(value)).toBe(false);
      expect(isInstance(value)).toBe(false);
    }
    expect(isTimeboxError(value)).toBe(false);
  });

  it('accepts an object carrying the registry brand, as a copy of the package would make it', () => {
    const foreign = new Error('from another copy');
    Object.defineProperty(foreign, Symbol.for('timebox.error.TaskTimeoutError'), { value: true });
    expect(isTaskTimeoutError(foreign)).toBe(true);
    expect(foreign).not.toBeInstanceOf(TaskTimeoutError);
  });

  it('keeps the brand out of enumeration, JSON and the clone', () => {
    const error = errors.timeout;
    expect(JSON.stringify(error)).not.toContain('timebox.error');
    expect(Object.getOwnPropertySymbols(error)).toHaveLength(2);
    for (const symbol of Object.getOwnPropertySymbols(error)) {
      expect(Object.getOwnPropertyDescriptor(error, symbol)?.enumerable).toBe(false);
    }
  });
});

describe('TaskQueueFullError', () => {
  it('names the task, the strategy and the limit, and is recognised by its guard', async () => {
    const { TaskQueueFullError, isTaskQueueFullError } = await import('./task-queue-full-error.js');
    const { isTimeboxError } = await import('./timebox-error.js');
    const error = new TaskQueueFullError({ taskName: 'resize', strategy: 'worker', maxQueue: 5 });
    expect(error).toMatchObject({
      name: 'TaskQueueFullError',
      taskName: 'resize',
      strategy: 'worker',
      maxQueue: 5,
    });
    expect(error.message).toBe(
      "Task 'resize' was refused: the worker strategy is busy and its queue is full (maxQueue: 5)",
    );
    expect(isTaskQueueFullError(error)).toBe(true);
    expect(isTimeboxError(error)).toBe(true);
    expect(isTaskQueueFullError(new Error('queue is full'))).toBe(false);
  });
});

describe('StrategyClosedError', () => {
  it.each([
    [
      'queued',
      "Task 'resize' did not run: the process strategy was closed while the task waited in the queue",
    ],
    [
      'running',
      "Task 'resize' was stopped: the process strategy was closed while the task was running",
    ],
    ['after-close', "Task 'resize' cannot run: the process strategy was closed"],
  ] as const)('says what happened to a %s task', async (phase, message) => {
    const { StrategyClosedError, isStrategyClosedError } = await import(
      './strategy-closed-error.js'
    );
    const error = new StrategyClosedError({ taskName: 'resize', strategy: 'process', phase });
    expect(error).toMatchObject({
      name: 'StrategyClosedError',
      strategy: 'process',
      phase,
      message,
    });
    expect(isStrategyClosedError(error)).toBe(true);
    expect(isStrategyClosedError({ phase })).toBe(false);
  });
});
