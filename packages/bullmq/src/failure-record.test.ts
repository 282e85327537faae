import { UnrecoverableError } from 'bullmq';
import { TaskAbortedError, TaskCrashedError, TaskTimeoutError } from 'timebox';
import { describe, expect, it } from 'vitest';
import { failureRecordOf, parseFailureRecord, recordFailureInStack } from './failure-record.js';
import { jobFailure } from './job-failure.js';
import { readTaskFailure } from './read-task-failure.js';

function timeoutError() {
  return new TaskTimeoutError({
    taskName: 'spin',
    timeout: 500,
    elapsed: 503.5,
    strategy: 'worker',
    enforcement: 'hard',
  });
}

describe('failure records', () => {
  it("holds a TaskTimeoutError's name and fields", () => {
    expect(failureRecordOf(timeoutError())).toEqual({
      name: 'TaskTimeoutError',
      taskName: 'spin',
      timeout: 500,
      elapsed: 503.5,
      strategy: 'worker',
      enforcement: 'hard',
      stillRunning: false,
    });
  });

  it("holds a TaskCrashedError's reason, exit code and signal", () => {
    const error = new TaskCrashedError({
      taskName: 'convert',
      strategy: 'process',
      reason: 'signal',
      signal: 'SIGSEGV',
      pid: 42,
    });
    expect(failureRecordOf(error)).toEqual({
      name: 'TaskCrashedError',
      taskName: 'convert',
      strategy: 'process',
      reason: 'signal',
      exitCode: null,
      signal: 'SIGSEGV',
      pid: 42,
    });
  });

  it("keeps a TaskAbortedError's cause as text", () => {
    const byReason = new TaskAbortedError({ taskName: 't', phase: 'running', cause: 'stop' });
    expect(failureRecordOf(byReason).cause).toBe('stop');
    const byError = new TaskAbortedError({
      taskName: 't',
      phase: 'queued',
      cause: new DOMException('This operation was aborted', 'AbortError'),
    });
    expect(failureRecordOf(byError)).toMatchObject({
      phase: 'queued',
      cause: 'AbortError: This operation was aborted',
    });
  });

  it('writes the record on the line after the message, once', () => {
    const error = recordFailureInStack(recordFailureInStack(timeoutError()));
    const lines = error.stack!.split('\n');
    expect(lines[0]).toBe(`TaskTimeoutError: ${error.message}`);
    expect(lines[1]).toMatch(/^ {4}timebox: \{"name":"TaskTimeoutError",/);
    expect(lines[2]).toMatch(/^ {4}at /);
    expect(lines.filter((line) => line.includes('timebox: '))).toHaveLength(1);
    expect(parseFailureRecord(error.stack!)).toEqual(failureRecordOf(error));
  });

  it('reads the record of the latest attempt from a job', () => {
    const first = recordFailureInStack(
      new TaskCrashedError({ taskName: 'spin', strategy: 'worker', reason: 'exit', exitCode: 1 }),
    );
    const second = recordFailureInStack(timeoutError());
    expect(readTaskFailure({ stacktrace: [first.stack!, second.stack!] })?.name).toBe(
      'TaskTimeoutError',
    );
    expect(
      readTaskFailure({ stacktrace: [second.stack!, 'Error: own\n    at x'] }),
    ).toBeUndefined();
    expect(readTaskFailure({ stacktrace: [] })).toBeUndefined();
    expect(readTaskFailure({ stacktrace: null })).toBeUndefined();
  });

  it('ignores a line that is not a record', () => {
    expect(parseFailureRecord('Error: x\n    timebox: {not json}')).toBeUndefined();
    expect(parseFailureRecord('Error: x\n    timebox: {"name":1}')).toBeUndefined();
  });
});

describe('jobFailure', () => {
  it('passes a timebox error on with its record in the stack', () => {
    const error = timeoutError();
    expect(jobFailure(error, new Set())).toBe(error);
    expect(parseFailureRecord(error.stack!)?.name).toBe('TaskTimeoutError');
  });

  it('leaves any other error untouched', () => {
    const error = new Error('own');
    const stack = error.stack;
    expect(jobFailure(error, new Set(['timeout', 'abort', 'crash']))).toBe(error);
    expect(error.stack).toBe(stack);
  });

  it("wraps an unrecoverable kind in BullMQ's UnrecoverableError, keeping message, record and cause", () => {
    const error = timeoutError();
    const wrapped = jobFailure(error, new Set(['timeout'])) as UnrecoverableError;
    expect(wrapped).toBeInstanceOf(UnrecoverableError);
    expect(wrapped.name).toBe('UnrecoverableError');
    expect(wrapped.message).toBe(error.message);
    expect(wrapped.cause).toBe(error);
    expect(wrapped.stack!.split('\n')[0]).toBe(`UnrecoverableError: ${error.message}`);
    expect(parseFailureRecord(wrapped.stack!)?.name).toBe('TaskTimeoutError');
  });

  it('wraps only the kinds listed', () => {
    const crashed = new TaskCrashedError({ taskName: 't', strategy: 'worker', reason: 'exit' });
    expect(jobFailure(crashed, new Set(['timeout']))).toBe(crashed);
    expect(jobFailure(crashed, new Set(['crash']))).toBeInstanceOf(UnrecoverableError);
    const aborted = new TaskAbortedError({ taskName: 't', phase: 'running', cause: 'x' });
    expect(jobFailure(aborted, new Set(['abort']))).toBeInstanceOf(UnrecoverableError);
  });
});
