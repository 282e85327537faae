export { strategyConformanceSuite } from './conformance-suite.js';
export type {
  ConformanceStrategyFactory,
  ConformanceStrategyOptions,
  StrategyCapabilities,
} from './strategy-capabilities.js';
