import type {
  AbortRequest,
  SerializedThrown,
  TaskRequest,
  TaskResponse,
} from '@timebox/core/strategy-kit';

/** Host to worker: run this task (a `TaskRequest` as is), abort the running one, or preload modules. */
export type HostMessage =
  | TaskRequest
  | {
      /** Discriminant: a `TaskRequest` has no `control` field. */
      readonly control: 'abort';
      /** Why, rebuilt as the task signal's reason inside the worker. */
      readonly request: AbortRequest;
    }
  | {
      /** Import these module tasks' modules ahead of need (a warm spare). */
      readonly control: 'preload';
      /** Requests without arguments, naming the modules. */
      readonly requests: readonly TaskRequest[];
    };

/** Worker to host, besides task responses (which have `outcome`). */
export type WorkerEvent =
  | {
      /** The worker has loaded its entry and listens for tasks. */
      readonly event: 'ready';
    }
  | {
      /** The worker read an abort and aborted the running task's signal. */
      readonly event: 'abort-received';
    }
  | {
      /** The modules of the last preload message are loaded, or failed to load. */
      readonly event: 'preloaded';
    }
  | {
      /**
       * A timer callback that a task which has settled left behind threw; the running task
       * (if any) is not to blame, and the worker asks to be retired.
       */
      readonly event: 'stray-error';
      /** The task that scheduled the callback. */
      readonly taskName: string;
      readonly error: SerializedThrown;
    }
  | {
      /** Something threw outside the task's promise chain. */
      readonly event: 'uncaught-exception';
      readonly error: SerializedThrown;
    };

/** Everything a worker posts to the host. */
export type WorkerMessage = MeasuredResponse | WorkerEvent;

/** A task's response with how long the task ran in the worker, in milliseconds. */
export type MeasuredResponse = TaskResponse & { readonly ranFor?: number };
