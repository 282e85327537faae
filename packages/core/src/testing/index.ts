export { strategyConformanceSuite } from './conformance-suite.js';
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
