import type {
  AbortRequest,
  SerializedThrown,
  TaskRequest,
  TaskResponse,
} from '@timebox/core/strategy-kit';

/** Host to worker: run this task (a `TaskRequest` as is) or abort the running one. */
export type HostMessage =
  | TaskRequest
  | {
      /** Discriminant: a `TaskRequest` has no `control` field. */
      readonly control: 'abort';
      /** Why, rebuilt as the task signal's reason inside the worker. */
      readonly request: AbortRequest;
    };

/** Worker to host, besides task responses (which have `outcome`). */
export type WorkerEvent =
  | {
      /** The worker has loaded its entry and listens for tasks. */
      readonly event: 'ready';
    }
  | {
      /** Something threw outside the task's promise chain. */
      readonly event: 'uncaught-exception';
      readonly error: SerializedThrown;
    };

/** Everything a worker posts to the host. */
export type WorkerMessage = TaskResponse | WorkerEvent;
