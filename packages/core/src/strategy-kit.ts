/**
 * `@timebox/core/strategy-kit`: what authors of a strategy need and users do not — the
 * wire protocol that worker and process share, the codec, the task context setters, the
 * long timer, brands, validators and the publisher of runner events. The root entry (`@timebox/core`) exports the user API.
 */
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
export { setDeadlineTimer } from './deadline-timer.js';
export { describeValue } from './describe-value.js';
export { type RunnerEventName, timeboxChannels } from './diagnostics/channel-names.js';
export { isRunnerEventObserved, publishRunnerEvent } from './diagnostics/publish-runner-event.js';
export type { RunnerEventMessages } from './diagnostics/runner-event-messages.js';
export { elapsedSince } from './elapsed.js';
export { hasBrand } from './errors/brand.js';
export { loadTaskFunction, moduleSpecifier } from './load-task-function.js';
export { validateLogger } from './logger.js';
export {
  type LongTimeout,
  type LongTimeoutOptions,
  maximumTimerDelay,
  setLongTimeout,
} from './long-timeout.js';
export { ReusableDeadlineTimer } from './reusable-deadline-timer.js';
export { validateStrategy } from './strategy.js';
export { validateTimeout } from './task.js';
export {
  addTaskContextLookup,
  currentTaskContext,
  runInTaskContext,
  setCurrentTaskContext,
  TaskContext,
  type TaskContextLookup,
} from './task-context.js';
export { isTypeScriptModule } from './typescript-file.js';
export {
  assertTaskModuleLoadable,
  hostTypeScriptLoading,
  type ModuleRequire,
  prepareTaskModule,
  prepareTypeScriptLoader,
  type TypeScriptLoading,
  typeScriptModuleError,
} from './typescript-modules.js';
export {
  type CompactTaskRequest,
  maximumTaskDefinitions,
  TaskDefinitions,
  TaskRequestCompactor,
} from './wire/compact-task-request.js';
export { createTaskRequest } from './wire/create-task-request.js';
export {
  abortRunningTask,
  executeTaskRequest,
  runTaskRequest,
} from './wire/execute-task-request.js';
export { inlineFunctionSource, inlineFunctionSupport } from './wire/inline-function.js';
export { postTaskResponse } from './wire/post-task-response.js';
export { preloadTaskModules } from './wire/preload-task-modules.js';
export { settleTaskResponse } from './wire/settle-task-response.js';
export { strayCallbackTask, trackTaskTimerCallbacks } from './wire/stray-callback-errors.js';
export type { AbortRequest, TaskRequest, TaskResponse, WireTaskRun } from './wire/task-request.js';
