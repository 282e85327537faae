/**
 * `@timebox/engine/inline-function`: whether an inline task function can run in another
 * thread or process, read from its source (acorn, eslint-scope). A subpath of its own, so
 * that a bundle that only needs the engine (a browser runner) does not carry a parser.
 */

export { analyzeInlineFunction } from './analyze-inline-function.js';
export type { FreeName, FreeNameKind } from './free-name-kind.js';
export type { InlineFunctionAnalysis, InlineFunctionVerdict } from './inline-function-analysis.js';
export { inlineFunctionSupport } from './inline-function-support.js';
