export { threadStrategy } from './thread-strategy.js';
export type { ThreadStrategyOptions } from './thread-strategy-options.js';
