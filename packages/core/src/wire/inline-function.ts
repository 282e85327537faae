import type { StrategySupport } from '../strategy.js';

const supportCache = new WeakMap<Function, StrategySupport>();
const supported: StrategySupport = Object.freeze({ supported: true });

/**
 * Whether a function can be shipped to a worker or child process as source text: it must
 * be written in JavaScript (not native or bound) and its source must compile on its own.
 * This is the check `createTaskRequest` makes; strategies answer `supports()` with
 * `@timebox/engine`'s `inlineFunctionSupport`, which also reads the source for closures
 * before anything runs. A closure that reaches a worker anyway is reported by
 * `executeTaskRequest` as a `TaskSerializationError` when it reads the missing variable.
 */
export function inlineFunctionSupport(run: Function): StrategySupport {
  let support = supportCache.get(run);
  if (support === undefined) {
    support = checkInlineFunction(run);
    supportCache.set(run, support);
  }
  return support;
}

function checkInlineFunction(run: Function): StrategySupport {
  const source = Function.prototype.toString.call(run);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    const kind = run.name.startsWith('bound ') ? 'a bound function' : 'a native function';
    return {
      supported: false,
      reason: `${kind} (${run.name.replace(/^bound /, '') || 'anonymous'}) has no source to send to another thread or process; use a module task ({ module, export }) or a self-contained function`,
    };
  }
  try {
    new Function(`return (${source});`);
  } catch {
    return {
      supported: false,
      reason: `the source of function ${run.name || '(anonymous)'} does not compile on its own (a method shorthand or a class member?); write it as a function expression or arrow function, or use a module task`,
    };
  }
  return supported;
}

/** The source text a self-contained function is shipped as. */
export function inlineFunctionSource(run: Function): string {
  return Function.prototype.toString.call(run);
}
