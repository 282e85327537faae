/**
 * The names of every `diagnostics_channel` timebox publishes on: part of the public
 * contract. `run` is a `TracingChannel` (subscribe with
 * `diagnostics_channel.tracingChannel(timeboxChannels.run)`); the runner events are plain
 * channels (`diagnostics_channel.subscribe(timeboxChannels.runnerKilled, listener)`).
 */
export const timeboxChannels = Object.freeze({
  /** One traced run of `runTaskWithTimeout`: start, end, asyncStart, asyncEnd, error. */
  run: 'timebox:run',
  /** A hard strategy started a runner (a worker thread or a child process). */
  runnerSpawned: 'timebox:runner:spawned',
  /** A spare runner finished starting and waits, ready, for a task. */
  runnerSpareReady: 'timebox:runner:spare-ready',
  /** A runner took a queued task: says how long the task waited. */
  runnerTaskStarted: 'timebox:runner:task-started',
  /** A runner was stopped on purpose: deadline, abort, close or idle retirement. */
  runnerKilled: 'timebox:runner:killed',
  /** A runner died on its own, during a task or between tasks. */
  runnerCrashed: 'timebox:runner:crashed',
  /** A runner is set aside and gets no more tasks (it could not be confirmed stopped). */
  runnerQuarantined: 'timebox:runner:quarantined',
} as const);

/** The names of the plain channels for runner events, such as `timebox:runner:killed`. */
export type RunnerEventName = Exclude<
  (typeof timeboxChannels)[keyof typeof timeboxChannels],
  typeof timeboxChannels.run
>;

/** The five channels of a `TracingChannel` named `name`, as Node names them. */
export function tracingChannelNames(name: string): {
  readonly start: string;
  readonly end: string;
  readonly asyncStart: string;
  readonly asyncEnd: string;
  readonly error: string;
} {
  return {
    start: `tracing:${name}:start`,
    end: `tracing:${name}:end`,
    asyncStart: `tracing:${name}:asyncStart`,
    asyncEnd: `tracing:${name}:asyncEnd`,
    error: `tracing:${name}:error`,
  };
}
