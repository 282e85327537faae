import type {
  AbortRequest,
  SerializedThrown,
  TaskRequest,
  TaskResponse,
} from '@timebox/core/strategy-kit';

/** Host to worker: abort the running task's signal (the task request itself is sent as is). */
export interface AbortMessage {
  /** Discriminant: a `TaskRequest` has no `control` field. */
  readonly control: 'abort';
  /** Why, rebuilt as the signal's reason on the other side. */
  readonly request: AbortRequest;
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

/** Everything the host posts to a worker. */
export type HostMessage = TaskRequest | AbortMessage | PreloadMessage;

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
      /** Something threw outside the task's promise chain; the worker is exiting. */
      readonly event: 'uncaught-exception';
      readonly error: SerializedThrown;
    };

/** Everything a worker posts to the host: a task's response (it has `outcome`) or an event. */
export type WorkerMessage = TaskResponse | WorkerEvent;

/** What the host gives a worker when it starts it (`workerData`). */
export interface WorkerStartData {
  /**
   * Set when the host runs under tsx: register tsx in the worker before it says ready,
   * from the tsx installed for this `file:` URL (the host's main script) or the working
   * directory.
   */
  readonly typeScriptLoaderFrom?: string;
}
