import { type AnyTask, isModuleReference, type StrategySupport } from '@timebox/core';
import { inlineFunctionSupport } from './inline-support.js';

const shippableModule: StrategySupport = Object.freeze({ supported: true });

/**
 * Whether a task can be sent to a worker thread or a child process: a module reference
 * always can; a function can when its source is self-contained (the engine's
 * `inlineFunctionSupport`): it compiles on its own and reads no variable of its enclosing
 * scope, no CommonJS name and no global that its module replaced with an import. This is
 * decided from the source, before anything runs.
 */
export function shippableSupport(task: AnyTask): StrategySupport {
  if (isModuleReference(task.run)) return shippableModule;
  return inlineFunctionSupport(task.run as Function);
}

/** How a shippable task travels, for reasons: `a module task` or `a self-contained function`. */
export function shippableKind(task: AnyTask): string {
  return isModuleReference(task.run) ? 'a module task' : 'a self-contained function';
}
