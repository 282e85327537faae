export { type StrategyCapabilities, strategyConformanceSuite } from './conformance-suite.js';
export { runChannelConformanceSuite } from './run-channel-suite.js';
