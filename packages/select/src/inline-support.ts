/**
 * How select judges an inline function: the engine's source analysis, which finds
 * closures (captured variables, CommonJS names, compiled imports, shadowed globals)
 * before anything runs. The package's `browser` build swaps this module for
 * `inline-support.browser.ts`, so that browser bundles do not carry the parser.
 */
export { inlineFunctionSupport } from '@timebox/engine';
