import type { Logger } from '@timebox/core';
import { logPreloadEndedRunner, logPreloadEndedRunnerAgain } from './engine-log-lines.js';
import type { ModulePreloads } from './module-preloads.js';
import type { RunnerCrash } from './runner.js';
import type { RunnerSlot } from './runner-slot.js';

/**
 * A runner that died before its first task while it held preloaded modules (a module that
 * calls `process.exit()` at import ends a spare this way): its modules are never preloaded
 * again, and one warning names them. When one of them was refused already (another runner
 * ended on it first), that one is taken as the cause: the others stay, and a debug line
 * says so. Returns whether it logged; false when the runner had started a task or
 * preloaded nothing.
 */
export function refuseFatalPreloads(
  preloads: ModulePreloads,
  slot: RunnerSlot,
  crash: RunnerCrash,
  logger: Logger,
): boolean {
  if (slot.tasksStarted > 0 || slot.preloaded.length === 0) return false;
  const label = slot.runner?.label ?? 'a runner';
  const known = slot.preloaded.filter((request) => preloads.isRefused(request));
  if (known.length > 0) {
    logPreloadEndedRunnerAgain(logger, label, known);
    return true;
  }
  for (const request of slot.preloaded) preloads.refuse(request);
  logPreloadEndedRunner(logger, label, slot.preloaded, crash);
  return true;
}
