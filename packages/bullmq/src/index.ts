// A BullMQ processor that runs every job under a hard timebox strategy.

export {
  createTimebox,
  defineTask,
  isTaskAbortedError,
  isTaskCrashedError,
  isTaskTimeoutError,
  type Task,
  TaskAbortedError,
  TaskCrashedError,
  TaskTimeoutError,
  type Timebox,
  taskSignal,
} from 'timebox';
export type { TaskFailureRecord } from './failure-record.js';
export type { JobRunMetadata } from './job-metadata.js';
export type { JobTaskSource } from './job-run.js';
export { readTaskFailure } from './read-task-failure.js';
export {
  type ClosableWorker,
  type TimeboxProcessor,
  timeboxProcessor,
} from './timebox-processor.js';
export type {
  HardStrategyName,
  TimeboxProcessorOptions,
  UnrecoverableFailure,
} from './timebox-processor-options.js';
