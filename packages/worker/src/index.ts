export { type WorkerStrategy, workerStrategy } from './worker-strategy.js';
export { defaultMaxWorkers, type WorkerStrategyOptions } from './worker-strategy-options.js';
