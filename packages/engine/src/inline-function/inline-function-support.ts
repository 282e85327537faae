import type { StrategySupport } from '@timebox/core';
import { analyzeInlineFunction } from './analyze-inline-function.js';

const supportCache = new WeakMap<Function, StrategySupport>();
const supported: StrategySupport = Object.freeze({ supported: true });

/**
 * Whether a worker thread or child process can run `run` as an inline task function: yes
 * when its source is self-contained, else no with the reason and the fix (see
 * {@link analyzeInlineFunction}). Decided from the source before anything runs, so a
 * closure never starts in another thread; cached per function.
 *
 * @example
 * ```ts
 * supports(task) {
 *   return typeof task.run === 'function' ? inlineFunctionSupport(task.run) : { supported: true };
 * }
 * ```
 */
export function inlineFunctionSupport(run: Function): StrategySupport {
  let support = supportCache.get(run);
  if (support === undefined) {
    const analysis = analyzeInlineFunction(run);
    support =
      analysis.reason === undefined
        ? supported
        : Object.freeze({ supported: false, reason: analysis.reason });
    supportCache.set(run, support);
  }
  return support;
}
