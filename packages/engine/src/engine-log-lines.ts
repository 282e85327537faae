import type { Logger } from '@timebox/core';
import type { AbortRequest, TaskRequest } from '@timebox/core/strategy-kit';
import type { RunnerCrash } from './runner.js';
import { describeCrash, describeError } from './runner-crash-error.js';
import { describeEnding, type StopOutcome } from './stop-ladder.js';

/**
 * The lines the engine logs. About one task's stop: to that run's logger. Between tasks:
 * to the strategy's own logger, naming the task where there is one.
 */

/** How the stop of a task's runner ended (debug), and the runner's warning if it gave one. */
export function logStopOutcome(
  logger: Logger,
  taskName: string,
  label: string,
  abort: AbortRequest,
  outcome: StopOutcome,
): void {
  const after = abort.cause === 'timeout' ? 'deadline' : 'abort';
  logger.debug(
    `task '${taskName}': ${label} ${describeEnding(outcome.ending)}; ${outcome.confirmed ? 'gone' : 'not confirmed gone'} ${outcome.afterMs} ms after the ${after}`,
    {
      task: taskName,
      runner: label,
      cause: abort.cause,
      ending: outcome.ending,
      confirmed: outcome.confirmed,
      forced: outcome.forced,
      goneAfterAbort: outcome.afterMs,
      goneAfterTerminate: outcome.afterStopMs,
    },
  );
  if (outcome.warning !== undefined) {
    logger.warn(`task '${taskName}': ${label} ${outcome.warning}`, {
      task: taskName,
      runner: label,
    });
  }
}

/** A runner that could not be confirmed gone and was let go. */
export function logUnconfirmed(logger: Logger, task: string | undefined, reason?: string): void {
  logger.warn(
    `${task === undefined ? '' : `task '${task}': `}${reason ?? 'a runner was not confirmed gone'}; it is let go (unreferenced) and its slot refilled`,
    { ...(task === undefined ? {} : { task }), reason },
  );
}

/** A runner that ended on its own while it held no task. */
export function logCrashBetweenTasks(
  logger: Logger,
  task: string | undefined,
  label: string,
  crash: RunnerCrash,
): void {
  const detail = describeCrash(crash);
  logger.warn(
    task === undefined
      ? `${label} ended between tasks before running any: ${detail}`
      : `task '${task}' left something behind that ended ${label} after the task settled: ${detail}; the runner is retired, no other task is blamed`,
    { ...(task === undefined ? {} : { task }), runner: label, reason: crash.reason },
  );
}

/** A callback that a settled task left behind (a timer) threw in a runner that goes on. */
export function logStrayError(logger: Logger, task: string, label: string, error: unknown): void {
  logger.warn(
    `task '${task}' left a callback behind that threw in ${label} after the task settled: ${describeError(error)}; no other task is blamed, and the runner is retired once its current task ends`,
    { task, runner: label, error },
  );
}

/** A runner (a spare, or one whose task left meanwhile) that could not start. */
export function logFailedStart(
  logger: Logger,
  label: string,
  spare: boolean,
  failedStarts: number,
  crash: RunnerCrash,
): void {
  logger.warn(
    `${spare ? 'a spare ' : ''}${label} could not start (${failedStarts} failed start(s) in a row): ${describeCrash(crash)}`,
    { runner: label, reason: 'spawn-failed', failedStarts },
  );
}

/**
 * A runner that ended while it preloaded these module tasks' modules, before running any
 * task: names each module (and a task that uses it), which is never preloaded again.
 */
export function logPreloadEndedRunner(
  logger: Logger,
  label: string,
  requests: readonly TaskRequest[],
  crash: RunnerCrash,
): void {
  const modules = describePreloads(requests);
  const ending = crash.signal
    ? `signal ${crash.signal}`
    : crash.exitCode === undefined || crash.exitCode === null
      ? crash.reason
      : `exit code ${crash.exitCode}`;
  logger.warn(
    `${label} ended (${ending}) while it preloaded ${modules.join(', ')}, before running any task; ${requests.length === 1 ? 'that module is' : 'those modules are'} never preloaded again, and later runners start without ${requests.length === 1 ? 'it' : 'them'}`,
    {
      runner: label,
      reason: crash.reason,
      modules: requests.map(({ run }) => (run.kind === 'module' ? run.specifier : undefined)),
      tasks: requests.map(({ taskName }) => taskName),
    },
  );
}

/** Another runner ended while it preloaded modules that were refused already (debug). */
export function logPreloadEndedRunnerAgain(
  logger: Logger,
  label: string,
  requests: readonly TaskRequest[],
): void {
  logger.debug(
    `${label} ended while it preloaded ${describePreloads(requests).join(', ')}, before running any task, as an earlier runner did; it was refused already`,
    { runner: label, tasks: requests.map(({ taskName }) => taskName) },
  );
}

function describePreloads(requests: readonly TaskRequest[]): string[] {
  return requests.map(({ taskName, run }) =>
    run.kind === 'module'
      ? `${run.specifier}${run.exportName === undefined ? '' : ` (export '${run.exportName}')`} of task '${taskName}'`
      : `task '${taskName}'`,
  );
}
