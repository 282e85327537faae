import { deserializeThrown } from '@timebox/core/strategy-kit';
import type { RunnerCrash } from '@timebox/engine';
import type { ChildCrash } from './pooled-process.js';

/**
 * Turns how a child process ended into the crash the engine reports as `TaskCrashedError`:
 * it could not start (`spawn-failed`), threw outside the task (`uncaught-exception`, with
 * the error as `cause`), ran out of memory (`out-of-memory`), was killed by a signal
 * (`signal`) or exited (`exit`).
 */
export function childCrashFacts(crash: ChildCrash): RunnerCrash {
  const common = { exitCode: crash.exitCode, signal: crash.signal };
  if (crash.beforeReady) {
    const detail = startFailure(crash);
    return {
      ...common,
      reason: 'spawn-failed',
      ...(detail === undefined ? {} : { detail }),
      ...(crash.startError === undefined ? {} : { cause: crash.startError }),
    };
  }
  if (crash.uncaught !== undefined) {
    const cause = deserializeThrown(crash.uncaught);
    return { ...common, reason: 'uncaught-exception', detail: describeThrown(cause), cause };
  }
  if (crash.outOfMemory) {
    return {
      ...common,
      reason: 'out-of-memory',
      detail:
        'V8 reported "JavaScript heap out of memory"; raise the limit with execArgv: [\'--max-old-space-size=<MB>\']',
    };
  }
  return {
    ...common,
    reason: crash.signal === null ? 'exit' : 'signal',
    ...(crash.lastErrorLine === undefined
      ? {}
      : { detail: `last stderr line: ${crash.lastErrorLine}` }),
  };
}

/**
 * Why a child could not start, from everything known: the spawn error, or what it threw,
 * its exit code or signal, and its last stderr line.
 */
function startFailure(crash: ChildCrash): string | undefined {
  const parts: string[] = [];
  if (crash.startError !== undefined) parts.push(crash.startError.message);
  else if (crash.uncaught !== undefined) {
    parts.push(`it threw ${describeThrown(deserializeThrown(crash.uncaught))}`);
  }
  if (crash.exitCode !== null) parts.push(`exit code ${crash.exitCode}`);
  if (crash.signal !== null) parts.push(`signal ${crash.signal}`);
  if (crash.lastErrorLine !== undefined) parts.push(`last stderr line: ${crash.lastErrorLine}`);
  return parts.length === 0 ? undefined : parts.join('; ');
}

function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`;
  return `threw ${typeof thrown === 'string' ? JSON.stringify(thrown) : String(thrown)}`;
}
