/**
 * `@timebox/engine`: the engine under every hard timebox strategy, and the runner
 * interface a strategy implements. No `node:` module is imported here.
 */

export {
  type EngineSettings,
  engineDefaults,
  engineOptionRules,
  maximumRunners,
  maximumSpares,
  poolSizeRule,
  type SharedSettings,
  sharedSettings,
  spareCountRule,
} from './engine-settings.js';
export type { EngineStats } from './engine-stats.js';
export {
  analyzeInlineFunction,
  type FreeName,
  type FreeNameKind,
  type InlineFunctionAnalysis,
  type InlineFunctionVerdict,
  inlineFunctionSupport,
} from './inline-function/index.js';
export type { LingeringRunnersLimit } from './lingering-runners.js';
export type {
  Runner,
  RunnerCrash,
  RunnerEvents,
  RunnerExit,
  RunnerFactory,
  RunnerIdentity,
  RunnerPrefetch,
} from './runner.js';
export { checkStrategyOptions, type OptionRule, type OptionRules } from './strategy-options.js';
export { type EngineRunOptions, TaskEngine } from './task-engine.js';
