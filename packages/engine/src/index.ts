/**
 * `@timebox/engine`: what every hard strategy shares. Exports are listed by name as they
 * are added.
 */
export { analyzeInlineFunction } from './inline-function/analyze-inline-function.js';
export type { FreeName, FreeNameKind } from './inline-function/free-name-kind.js';
export type {
  InlineFunctionAnalysis,
  InlineFunctionVerdict,
} from './inline-function/inline-function-analysis.js';
export { inlineFunctionSupport } from './inline-function/inline-function-support.js';
