/**
 * `@timebox/core`: the user API of timebox — tasks, the error family, `runTaskWithTimeout`,
 * `taskSignal`, the logger shape, the strategy contract and the names and message shapes of
 * the diagnostics channels. What strategy authors need lives in `@timebox/core/strategy-kit`.
 */
export { type RunnerEventName, timeboxChannels } from './diagnostics/channel-names.js';
export type { RunMessage, RunMetadata, RunOutcome } from './diagnostics/run-message.js';
export type {
  RunnerCrashedMessage,
  RunnerEventBase,
  RunnerEventMessages,
  RunnerKilledMessage,
  RunnerKillReason,
  RunnerQuarantinedMessage,
  RunnerSpareReadyMessage,
  RunnerSpawnedMessage,
  RunnerTaskStartedMessage,
} from './diagnostics/runner-event-messages.js';
export {
  type ClosedPhase,
  isStrategyClosedError,
  StrategyClosedError,
  type StrategyClosedErrorOptions,
} from './errors/strategy-closed-error.js';
export {
  type AbortPhase,
  isTaskAbortedError,
  TaskAbortedError,
  type TaskAbortedErrorOptions,
} from './errors/task-aborted-error.js';
export {
  type CrashReason,
  isTaskCrashedError,
  TaskCrashedError,
  type TaskCrashedErrorOptions,
} from './errors/task-crashed-error.js';
export {
  isTaskModuleLoadError,
  type ModuleLoadFailure,
  TaskModuleLoadError,
  type TaskModuleLoadErrorOptions,
} from './errors/task-module-load-error.js';
export {
  isTaskQueueFullError,
  TaskQueueFullError,
  type TaskQueueFullErrorOptions,
} from './errors/task-queue-full-error.js';
export {
  isTaskSerializationError,
  type SerializationSubject,
  TaskSerializationError,
  type TaskSerializationErrorOptions,
} from './errors/task-serialization-error.js';
export {
  type Enforcement,
  isTaskTimeoutError,
  type TaskStopReport,
  TaskTimeoutError,
  type TaskTimeoutErrorOptions,
} from './errors/task-timeout-error.js';
export {
  isTaskUnsupportedError,
  TaskUnsupportedError,
  type TaskUnsupportedErrorOptions,
} from './errors/task-unsupported-error.js';
export { isTimeboxError, TimeboxError, type TimeboxErrorOptions } from './errors/timebox-error.js';
export { isLogger, type Logger, type LogMethod, silentLogger } from './logger.js';
export {
  type FunctionExportName,
  type ModuleTaskArguments,
  type ModuleTaskDefinition,
  type ModuleTaskResult,
  moduleTask,
} from './module-task.js';
export { type RunTaskOptions, runTaskWithTimeout } from './run-task-with-timeout.js';
export {
  type DurationPercentiles,
  isTimeoutStrategy,
  type RuntimeContext,
  type StrategyRunOptions,
  type StrategyStats,
  type StrategySupport,
  type TimeoutStrategy,
} from './strategy.js';
export {
  type AnyTask,
  defineTask,
  isModuleReference,
  isTask,
  type ModuleReference,
  type Task,
  type TaskArguments,
  type TaskDefinition,
  type TaskFunction,
  type TaskResult,
  type TaskRun,
} from './task.js';
export { taskSignal } from './task-context.js';
