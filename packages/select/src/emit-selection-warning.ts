import type { AnyTask, Logger } from '@timebox/core';

const warnedTasks = new WeakSet<AnyTask>();

/** The `code` of the process warning emitted when a task gets only a soft timeout. */
export const softTimeoutWarningCode = 'TIMEBOX_SOFT_TIMEOUT';

/**
 * Emits a selection's warning: through `logger.warn` every time when a logger is given;
 * otherwise through `process.emitWarning` once per task (or `console.warn` where there is
 * no `process`), so that a task run in a loop does not flood standard error.
 */
export function emitSelectionWarning(
  task: AnyTask,
  warning: string,
  details: { readonly strategy: string; readonly rule: string },
  logger: Logger | undefined,
): void {
  if (logger !== undefined) {
    logger.warn(warning, { task: task.name, strategy: details.strategy, rule: details.rule });
    return;
  }
  if (warnedTasks.has(task)) return;
  warnedTasks.add(task);
  const process = (globalThis as { process?: { emitWarning?: unknown } }).process;
  if (typeof process?.emitWarning === 'function') {
    (process.emitWarning as (warning: string, options: object) => void)(warning, {
      type: 'TimeboxWarning',
      code: softTimeoutWarningCode,
    });
    return;
  }
  globalThis.console?.warn(warning);
}
