export { strategyConformanceSuite } from './conformance-suite.js';
export { runChannelConformanceSuite } from './run-channel-suite.js';
export type {
  ConformanceStrategyFactory,
  ConformanceStrategyOptions,
  StrategyCapabilities,
} from './strategy-capabilities.js';
