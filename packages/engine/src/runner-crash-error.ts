import { TaskCrashedError } from '@timebox/core';
import type { RunnerCrash, RunnerIdentity } from './runner.js';

/** The `TaskCrashedError` for a task whose runner crashed under it. */
export function runnerCrashedError(
  strategy: string,
  identity: RunnerIdentity | undefined,
  taskName: string,
  crash: RunnerCrash,
): TaskCrashedError {
  return new TaskCrashedError({
    taskName,
    strategy,
    reason: crash.reason,
    exitCode: crash.exitCode ?? null,
    signal: crash.signal ?? null,
    ...(identity ?? {}),
    ...(crash.detail === undefined ? {} : { detail: crash.detail }),
    ...(crash.cause === undefined ? {} : { cause: crash.cause }),
  });
}

/** A crash in words, for log lines: its detail, or its reason with the exit code or signal. */
export function describeCrash(crash: RunnerCrash): string {
  if (crash.detail !== undefined) return crash.detail;
  if (crash.signal) return `${crash.reason}, signal ${crash.signal}`;
  if (crash.exitCode !== undefined && crash.exitCode !== null) {
    return `${crash.reason}, exit code ${crash.exitCode}`;
  }
  return crash.reason;
}

/** A thrown value in words: `Name: message` for an error. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
