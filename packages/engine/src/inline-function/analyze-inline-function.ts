import { classifyFreeNames } from './classify-free-names.js';
import { describeFreeNames } from './describe-free-names.js';
import { findFreeNames } from './free-names.js';
import type { InlineFunctionAnalysis } from './inline-function-analysis.js';
import { parseFunctionSource } from './parse-function-source.js';

const analyses = new WeakMap<Function, InlineFunctionAnalysis>();
const selfContained: InlineFunctionAnalysis = Object.freeze({
  verdict: 'self-contained',
  freeNames: Object.freeze([]),
});

/**
 * Reads an inline task function's source, before it runs, and says whether it can be sent
 * to a worker thread or child process: whether it has source at all (not native or
 * bound), whether that source stands alone, and which of its free names the target would
 * not have (a closure's variables, CommonJS's `require`, a compiler's `core_1`) or would
 * have with another value (a global such as `crypto` that the caller's module imported).
 * The result is cached per function.
 *
 * @example
 * ```ts
 * const factor = 3;
 * analyzeInlineFunction((n: number) => n * factor);
 * // { verdict: 'closure', freeNames: [{ name: 'factor', kind: 'captured' }], reason: 'the inline function reads factor …' }
 * ```
 */
export function analyzeInlineFunction(run: Function): InlineFunctionAnalysis {
  let analysis = analyses.get(run);
  if (analysis === undefined) {
    analysis = Object.freeze(analyze(run));
    analyses.set(run, analysis);
  }
  return analysis;
}

function analyze(run: Function): InlineFunctionAnalysis {
  const source = Function.prototype.toString.call(run);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    const kind = run.name.startsWith('bound ') ? 'a bound function' : 'a native function';
    return {
      verdict: 'no-source',
      freeNames: [],
      reason: `${kind} (${run.name.replace(/^bound /, '') || 'anonymous'}) has no source to send to another thread or process; use a module task ({ module, export }) or a self-contained function`,
    };
  }
  const program = parseFunctionSource(source);
  if (program === undefined) {
    return {
      verdict: 'not-standalone',
      freeNames: [],
      reason: `the source of function ${run.name || '(anonymous)'} does not compile on its own (a method shorthand or a class member?); write it as a function expression or arrow function, or use a module task`,
    };
  }
  const freeNames = classifyFreeNames(program, findFreeNames(program));
  if (freeNames.length === 0) return selfContained;
  return {
    verdict: 'closure',
    freeNames: Object.freeze(freeNames),
    reason: describeFreeNames(freeNames),
  };
}
