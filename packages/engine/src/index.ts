/**
 * `@timebox/engine`: what every hard strategy shares. Exports are listed by name as they
 * are added.
 */
export { inlineFunctionSupport } from '@timebox/core/strategy-kit';
