export { type ProcessStrategy, processStrategy } from './process-strategy.js';
export type {
  ProcessOutput,
  ProcessStdio,
  ProcessStrategyOptions,
} from './process-strategy-options.js';
