import { elapsedSince } from '../elapsed.js';
import { isTaskAbortedError } from '../errors/task-aborted-error.js';
import { isTaskCrashedError } from '../errors/task-crashed-error.js';
import { isTaskTimeoutError } from '../errors/task-timeout-error.js';
import type { TimeoutStrategy } from '../strategy.js';
import { timeboxChannels, tracingChannelNames } from './channel-names.js';
import { diagnosticsChannelModule, type PublishingChannel } from './diagnostics-channel-module.js';
import type { RunMessage, RunMetadata, RunOutcome } from './run-message.js';

interface RunChannels {
  readonly start: PublishingChannel;
  readonly end: PublishingChannel;
  readonly asyncStart: PublishingChannel;
  readonly asyncEnd: PublishingChannel;
  readonly error: PublishingChannel;
}

let channels: RunChannels | undefined;

function runChannels(): RunChannels | undefined {
  if (channels !== undefined) return channels;
  const module = diagnosticsChannelModule();
  if (module === undefined) return undefined;
  const names = tracingChannelNames(timeboxChannels.run);
  channels = {
    start: module.channel(names.start),
    end: module.channel(names.end),
    asyncStart: module.channel(names.asyncStart),
    asyncEnd: module.channel(names.asyncEnd),
    error: module.channel(names.error),
  };
  return channels;
}

function isObserved(run: RunChannels): boolean {
  return (
    run.start.hasSubscribers ||
    run.end.hasSubscribers ||
    run.asyncStart.hasSubscribers ||
    run.asyncEnd.hasSubscribers ||
    run.error.hasSubscribers
  );
}

function outcomeOf(error: unknown): RunOutcome {
  if (isTaskTimeoutError(error)) return 'timed-out';
  if (isTaskAbortedError(error)) return 'aborted';
  if (isTaskCrashedError(error)) return 'crashed';
  return 'failed';
}

/** A boolean field of `error`, read defensively: `undefined` when absent or not a boolean. */
function booleanField(error: unknown, field: 'forced' | 'stillRunning'): boolean | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * Runs `run` (one run of `task` under `strategy`) and, when anyone subscribes to the
 * `timebox:run` tracing channel, publishes its start, end, asyncStart, asyncEnd and error
 * events with a {@link RunMessage}. When nobody subscribes, it only calls `run`.
 */
export function traceRun<Result>(
  taskName: string,
  strategy: TimeoutStrategy,
  timeout: number,
  metadata: RunMetadata | undefined,
  run: () => Promise<Result>,
): Promise<Result> {
  const traced = runChannels();
  if (traced === undefined || !isObserved(traced)) return run();
  const message: RunMessage = {
    task: taskName,
    strategy: strategy.name,
    enforcement: strategy.enforcement,
    timeout,
    metadata,
    startTime: performance.now(),
  };
  const started = (): Promise<Result> => {
    try {
      return run();
    } catch (error) {
      return Promise.reject(error);
    } finally {
      traced.end.publish(message);
    }
  };
  let running: Promise<Result>;
  if (typeof traced.start.runStores === 'function') {
    running = traced.start.runStores(message, started);
  } else {
    traced.start.publish(message);
    running = started();
  }
  return running.then(
    (result) => {
      message.outcome = 'completed';
      message.elapsed = elapsedSince(message.startTime);
      message.result = result;
      traced.asyncStart.publish(message);
      traced.asyncEnd.publish(message);
      return result;
    },
    (error: unknown) => {
      message.outcome = outcomeOf(error);
      message.elapsed = elapsedSince(message.startTime);
      message.forced = booleanField(error, 'forced');
      message.stillRunning = booleanField(error, 'stillRunning');
      message.error = error;
      traced.error.publish(message);
      traced.asyncStart.publish(message);
      traced.asyncEnd.publish(message);
      throw error;
    },
  );
}
