export { detectRuntimeTermination, type RuntimeTermination } from './runtime-termination.js';
export { type WebWorkerStrategy, webWorkerStrategy } from './web-worker-strategy.js';
export {
  defaultMaxWorkers,
  type WebWorkerStrategyOptions,
} from './web-worker-strategy-options.js';
