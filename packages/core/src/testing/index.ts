export { type StrategyCapabilities, strategyConformanceSuite } from './conformance-suite.js';
