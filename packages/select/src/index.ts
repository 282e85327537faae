export { blockingIoTag, mayBlockInIo } from './blocking-io.js';
export type { DetectionGlobals } from './builtin-modules.js';
export {
  childProcessesDisallowedReason,
  threadsUnstoppableReason,
  webWorkersUnavailableReason,
  workersDisallowedReason,
} from './context-reasons.js';
export { createSelector } from './create-selector.js';
export { defineRule } from './define-rule.js';
export { detectContext } from './detect-context.js';
export type { DetectedContext, RuntimeName } from './detected-context.js';
export { emitSelectionWarning, softTimeoutWarningCode } from './emit-selection-warning.js';
export { needsProcessIsolation, processIsolationTag } from './process-isolation.js';
export { readContext } from './read-context.js';
export { blockingIoRule } from './rules/blocking-io-rule.js';
export { childProcessRule } from './rules/child-process-rule.js';
export { defaultRules } from './rules/default-rules.js';
export { noTimeLimitRule } from './rules/no-time-limit-rule.js';
export { processIsolationRule } from './rules/process-isolation-rule.js';
export { softFallbackRule } from './rules/soft-fallback-rule.js';
export { webWorkerRule, webWorkerStrategyName } from './rules/web-worker-rule.js';
export { workerRule } from './rules/worker-rule.js';
export { defaultSelector, selectStrategy } from './select-strategy.js';
export {
  directRun,
  type PassedOverStrategy,
  type RuleDecision,
  type SelectionContext,
  type SelectionRule,
  type SelectionSituation,
  type SelectOptions,
  type Selector,
  type StrategySelection,
} from './selection.js';
export { shippableSupport } from './shippable.js';
export {
  isStrategySelectionError,
  StrategySelectionError,
  type StrategySelectionErrorOptions,
} from './strategy-selection-error.js';
