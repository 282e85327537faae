/** What every runner event names: the strategy and the runner. */
export interface RunnerEventBase {
  /** The name of the strategy that owns the runner, such as `worker` or `process`. */
  readonly strategy: string;
  /** The runner's id within its strategy: a thread id or a process id. */
  readonly runnerId: number | string;
}

/** `timebox:runner:spawned`: a runner is starting. */
export interface RunnerSpawnedMessage extends RunnerEventBase {
  /** Whether it starts as a spare (ahead of demand) rather than for a waiting task. */
  readonly spare: boolean;
}

/** `timebox:runner:spare-ready`: a spare runner finished starting. */
export interface RunnerSpareReadyMessage extends RunnerEventBase {
  /** Milliseconds from spawn to ready. */
  readonly startupTime: number;
}

/** `timebox:runner:task-started`: a runner took a task from the queue. */
export interface RunnerTaskStartedMessage extends RunnerEventBase {
  /** The task's name. */
  readonly task: string;
  /** Milliseconds the task waited for a runner (0 when one was idle). */
  readonly waitTime: number;
}

/**
 * Why a runner was stopped on purpose: its task timed out or was aborted, the strategy
 * closed, it idled too long, it failed to start, or (`isolated`) it ran a task defined
 * with `isolate: true`, or made room for one, or (`stray-error`) a callback a finished task
 * left behind threw in it, so it is retired once its current task ends.
 */
export type RunnerKillReason =
  | 'timeout'
  | 'abort'
  | 'close'
  | 'idle'
  | 'failed-start'
  | 'isolated'
  | 'stray-error';

/** `timebox:runner:killed`: a runner was stopped on purpose. */
export interface RunnerKilledMessage extends RunnerEventBase {
  /** Why it was stopped. */
  readonly reason: RunnerKillReason;
  /** The task it was running, if any. */
  readonly task: string | undefined;
  /** Whether it had to be forced (terminate, SIGKILL) rather than stopping when asked. */
  readonly forced: boolean;
}

/** `timebox:runner:crashed`: a runner died on its own. */
export interface RunnerCrashedMessage extends RunnerEventBase {
  /** The task it was running, or `undefined` for a crash between tasks. */
  readonly task: string | undefined;
  /** Its exit code, when it exited. */
  readonly exitCode: number | undefined;
  /** The signal that ended it (a child process), when one did. */
  readonly signal: string | undefined;
}

/** `timebox:runner:quarantined`: a runner gets no more tasks. */
export interface RunnerQuarantinedMessage extends RunnerEventBase {
  /** Why, in words. */
  readonly reason: string;
}

/** The message shape of each runner event channel, by channel name. */
export interface RunnerEventMessages {
  /** See {@link RunnerSpawnedMessage}. */
  readonly 'timebox:runner:spawned': RunnerSpawnedMessage;
  /** See {@link RunnerSpareReadyMessage}. */
  readonly 'timebox:runner:spare-ready': RunnerSpareReadyMessage;
  /** See {@link RunnerTaskStartedMessage}. */
  readonly 'timebox:runner:task-started': RunnerTaskStartedMessage;
  /** See {@link RunnerKilledMessage}. */
  readonly 'timebox:runner:killed': RunnerKilledMessage;
  /** See {@link RunnerCrashedMessage}. */
  readonly 'timebox:runner:crashed': RunnerCrashedMessage;
  /** See {@link RunnerQuarantinedMessage}. */
  readonly 'timebox:runner:quarantined': RunnerQuarantinedMessage;
}
