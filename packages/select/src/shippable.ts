import { type AnyTask, isModuleReference, type StrategySupport } from '@timebox/core';
import { inlineFunctionSupport } from '@timebox/core/strategy-kit';

const shippableModule: StrategySupport = Object.freeze({ supported: true });

/**
 * Whether a task can be sent to a worker thread or a child process: a module reference
 * always can; a function can when its source compiles on its own (core's
 * `inlineFunctionSupport`). Whether a function reads variables from its enclosing scope
 * cannot be seen from outside; that shows only when it runs in the other thread.
 */
export function shippableSupport(task: AnyTask): StrategySupport {
  if (isModuleReference(task.run)) return shippableModule;
  return inlineFunctionSupport(task.run as Function);
}

/** How a shippable task travels, for reasons: `a module task` or `a self-contained function`. */
export function shippableKind(task: AnyTask): string {
  return isModuleReference(task.run) ? 'a module task' : 'a self-contained function';
}
