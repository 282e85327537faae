import type {
  AbortRequest,
  CompactTaskRequest,
  SerializedThrown,
  TaskRequest,
  TaskResponse,
} from '@timebox/core/strategy-kit';

/** Host to worker: abort the running task's signal. */
export interface AbortMessage {
  /** Discriminant: a `TaskRequest` has no `control` field. */
  readonly control: 'abort';
  /** Why, rebuilt as the signal's reason on the other side. */
  readonly request: AbortRequest;
  /**
   * With a prefetch ring: the ticket of the task to abort. A task that has ended is not
   * aborted, nor the one the worker started after it.
   */
  readonly ticket?: number;
}

/**
 * Host to a spare worker: import these module tasks' modules ahead of need, so that the
 * spare runs them without a cold import once it replaces a terminated worker.
 */
export interface PreloadMessage {
  /** Discriminant: a `TaskRequest` has no `control` field. */
  readonly control: 'preload';
  /** Module task requests (without arguments) whose functions to load. */
  readonly requests: readonly TaskRequest[];
}

/**
 * Everything the host posts to a worker: a task request (whole the first time a worker
 * runs the task, then compact), an abort or a preload.
 */
export type HostMessage = TaskRequest | CompactTaskRequest | AbortMessage | PreloadMessage;

/** Worker to host, besides task responses. */
export type WorkerEvent =
  | {
      /** The worker has loaded and listens for tasks. */
      readonly event: 'ready';
    }
  | {
      /** The worker has aborted the running task's signal. */
      readonly event: 'abort-received';
    }
  | {
      /** The modules of the last preload message are loaded, or failed to load. */
      readonly event: 'preloaded';
    }
  | {
      /**
       * A timer callback that a task which has settled left behind threw; the worker goes
       * on (the running task, if any, is not to blame) and asks to be retired.
       */
      readonly event: 'stray-error';
      /** The task that scheduled the callback. */
      readonly taskName: string;
      readonly error: SerializedThrown;
    }
  | {
      /** Something threw outside the task's promise chain; the worker is exiting. */
      readonly event: 'uncaught-exception';
      readonly error: SerializedThrown;
    };

/**
 * A task's result, posted as a one-element array instead of a `fulfilled` response: the
 * common answer crosses without an object and its keys to serialize and read back.
 */
export type FulfilledMessage = readonly [value: unknown];

/**
 * Everything a worker posts to the host: a task's result ({@link FulfilledMessage}), its
 * other response (it has `outcome`) or an event.
 */
export type WorkerMessage = FulfilledMessage | TaskResponse | WorkerEvent;

/** What the host gives a worker when it starts it (`workerData`). */
export interface WorkerStartData {
  /**
   * Set when the host runs under tsx: register tsx in the worker before it says ready,
   * from the tsx installed for this `file:` URL (the host's main script) or the working
   * directory.
   */
  readonly typeScriptLoaderFrom?: string;
  /**
   * Set when the host sends tasks ahead (`prefetch`): the shared memory of a
   * `PrefetchRing`, where the worker claims each task it starts and marks it ended.
   */
  readonly prefetchRing?: SharedArrayBuffer;
}
