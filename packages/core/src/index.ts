export { isAbortSignal, onAbort, validateSignal } from './abort-signal.js';
export { assertCloneable } from './codec/assert-cloneable.js';
export { deserializeThrown } from './codec/deserialize-thrown.js';
export {
  type CloneBoundary,
  findUncloneable,
  type UncloneableValue,
} from './codec/find-uncloneable.js';
export { serializeThrown } from './codec/serialize-thrown.js';
export type {
  SerializedError,
  SerializedThrown,
  SerializedUncloneable,
  SerializedValue,
} from './codec/serialized-thrown.js';
export { describeValue } from './describe-value.js';
export { elapsedSince } from './elapsed.js';
export { hasBrand, setBrand } from './errors/brand.js';
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
  TaskTimeoutError,
  type TaskTimeoutErrorOptions,
} from './errors/task-timeout-error.js';
export {
  isTaskUnsupportedError,
  TaskUnsupportedError,
  type TaskUnsupportedErrorOptions,
} from './errors/task-unsupported-error.js';
export { isTimeboxError, TimeboxError, type TimeboxErrorOptions } from './errors/timebox-error.js';
export { loadTaskFunction, moduleSpecifier } from './load-task-function.js';
export {
  isLogger,
  type Logger,
  type LogMethod,
  silentLogger,
  validateLogger,
} from './logger.js';
export { type LongTimeout, maximumTimerDelay, setLongTimeout } from './long-timeout.js';
export { type RunTaskOptions, runTaskWithTimeout } from './run-task-with-timeout.js';
export {
  isTimeoutStrategy,
  type RuntimeContext,
  type StrategyRunOptions,
  type StrategySupport,
  type TimeoutStrategy,
  validateStrategy,
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
  validateTimeout,
} from './task.js';
export {
  addTaskContextLookup,
  currentTaskContext,
  runInTaskContext,
  setCurrentTaskContext,
  TaskContext,
  type TaskContextLookup,
  taskSignal,
} from './task-context.js';
export { createTaskRequest } from './wire/create-task-request.js';
export { abortRunningTask, executeTaskRequest } from './wire/execute-task-request.js';
export { inlineFunctionSource, inlineFunctionSupport } from './wire/inline-function.js';
export { settleTaskResponse } from './wire/settle-task-response.js';
export type { AbortRequest, TaskRequest, TaskResponse, WireTaskRun } from './wire/task-request.js';
