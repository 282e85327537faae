import type {
  AbortRequest,
  SerializedThrown,
  TaskRequest,
  TaskResponse,
} from '@timebox/core/strategy-kit';

/** What the host sends to a child process. */
export type HostMessage =
  | {
      /** Run this task; the child runs one at a time. */
      readonly type: 'run';
      readonly id: number;
      readonly request: TaskRequest;
    }
  | {
      /** Abort the signal of task `id`, if it still runs. */
      readonly type: 'abort';
      readonly id: number;
      readonly abort: AbortRequest;
    }
  | {
      /**
       * Import these module tasks' modules ahead of need (a spare), then say `preloaded`,
       * so that the first task on a spare replacing a killed process starts warm.
       */
      readonly type: 'preload';
      readonly requests: readonly TaskRequest[];
    };

/** What a child process sends to the host. */
export type ChildMessage =
  | {
      /** The child has started and waits for tasks. */
      readonly type: 'ready';
    }
  | {
      /** The modules of the last `preload` message are loaded (or failed to load). */
      readonly type: 'preloaded';
    }
  | {
      /** Task `id` settled. */
      readonly type: 'settled';
      readonly id: number;
      readonly response: TaskResponse;
      /** How long the task ran in the child, in milliseconds (the child's clock). */
      readonly ranFor?: number;
    }
  | {
      /**
       * A timer callback that task `taskName` left behind threw after that task settled;
       * the child goes on (the running task is not to blame) and asks to be retired.
       */
      readonly type: 'stray';
      readonly taskName: string;
      readonly error: SerializedThrown;
    }
  | {
      /** Something threw outside the task; the child exits right after this message. */
      readonly type: 'uncaught';
      readonly error: SerializedThrown;
    };

/** Whether `message` is one the host sends. */
export function isHostMessage(message: unknown): message is HostMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'run' || type === 'abort' || type === 'preload';
}

/** Whether `message` is one a child sends. */
export function isChildMessage(message: unknown): message is ChildMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return (
    type === 'ready' ||
    type === 'preloaded' ||
    type === 'settled' ||
    type === 'stray' ||
    type === 'uncaught'
  );
}
