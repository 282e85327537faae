import type { SerializedThrown } from '../codec/serialized-thrown.js';
import type { SerializationSubject } from '../errors/task-serialization-error.js';

/** How a task's function travels to a worker or child process. */
export type WireTaskRun =
  | {
      /** Import `specifier` there and call its `exportName` (default export when absent). */
      readonly kind: 'module';
      readonly specifier: string;
      readonly exportName?: string;
    }
  | {
      /** Compile a self-contained function from its source text there. */
      readonly kind: 'source';
      readonly source: string;
    };

/** What the host sends to run one task: made by `createTaskRequest`. */
export interface TaskRequest {
  /** The task's name, for errors raised on the other side. */
  readonly taskName: string;
  /** The function to run. */
  readonly run: WireTaskRun;
  /** The arguments, already checked to be cloneable. */
  readonly args: readonly unknown[];
  /**
   * The task's time limit in milliseconds, counted from when it starts on the other side
   * (remaining time, not a clock reading: clocks are not shared across processes). Tasks
   * it runs there are capped by it. Absent: no deadline is known there.
   */
  readonly timeout?: number;
  /**
   * Set by a `TaskRequestCompactor` on the first request for a task: the other side keeps
   * the task's name and function under this id, and later requests name only the id.
   */
  readonly definitionId?: number;
}

/** What comes back from running a task: made by `executeTaskRequest`. */
export type TaskResponse =
  | {
      /** The task resolved with `value`. */
      readonly outcome: 'fulfilled';
      readonly value: unknown;
    }
  | {
      /** The task threw or rejected with `error`. */
      readonly outcome: 'rejected';
      readonly error: SerializedThrown;
    }
  | {
      /** The function or the result could not cross the boundary. */
      readonly outcome: 'unserializable';
      readonly subject: SerializationSubject;
      readonly path: string;
      readonly reason: string;
      readonly cause?: SerializedThrown;
    };

/** Why the host aborts the running task's signal; rebuilt as a real error on the other side. */
export type AbortRequest =
  | {
      /** The deadline passed. */
      readonly cause: 'timeout';
      readonly timeout: number;
      readonly elapsed: number;
      readonly strategy: string;
    }
  | {
      /** The caller's signal aborted. */
      readonly cause: 'caller';
      /** The caller's abort reason, serialized; the task's signal carries it as `cause`. */
      readonly reason?: SerializedThrown;
    }
  | {
      /** The strategy named here was closed while the task ran. */
      readonly cause: 'closed';
      readonly strategy: string;
    };
