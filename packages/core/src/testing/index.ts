export type { ConformanceHooks } from './conformance-hooks.js';
export { strategyConformanceSuite } from './conformance-suite.js';
export type { MarkerBoard } from './marker-board.js';
export { nodeConformanceHooks } from './node-conformance-hooks.js';
export { runChannelConformanceSuite } from './run-channel-suite.js';
export {
  type RecordedRunnerEvent,
  type RunnerEventRecorder,
  recordRunnerEvents,
} from './runner-event-recorder.js';
export type {
  ConformanceStrategyFactory,
  ConformanceStrategyOptions,
  StrategyCapabilities,
} from './strategy-capabilities.js';
