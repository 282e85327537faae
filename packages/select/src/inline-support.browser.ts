/**
 * The browser build's inline-function check: core's, which refuses bound and native
 * functions and source that does not compile on its own, without the engine's parser
 * (about 210 KB minified). The web-worker strategy judges inline functions the same way.
 */
export { inlineFunctionSupport } from '@timebox/core/strategy-kit';
