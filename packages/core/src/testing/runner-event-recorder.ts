import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type RunnerEventName, timeboxChannels } from '@timebox/core';

/** One published runner event: its short name (`spawned`, `killed`…) and its message. */
export interface RecordedRunnerEvent {
  readonly event: string;
  readonly runnerId: number | string;
  readonly [field: string]: unknown;
}

/** Records every runner event published while it listens. */
export interface RunnerEventRecorder {
  /** Every event so far, in order. */
  readonly events: readonly RecordedRunnerEvent[];
  /** The first event, recorded or still to come, that `matches`. */
  next(matches: (event: RecordedRunnerEvent) => boolean): Promise<RecordedRunnerEvent>;
  /** The events of one runner, in order. */
  ofRunner(runnerId: number | string): RecordedRunnerEvent[];
  /** Stops listening. */
  stop(): void;
}

const runnerEventNames = Object.values(timeboxChannels).filter(
  (name): name is RunnerEventName => name !== timeboxChannels.run,
);

/**
 * Subscribes to every runner event channel (`timebox:runner:*`) with
 * `node:diagnostics_channel`, so that a strategy's tests can assert the events of its
 * runners in order; call `stop()` after each test.
 */
export function recordRunnerEvents(): RunnerEventRecorder {
  const events: RecordedRunnerEvent[] = [];
  const waiters = new Set<{
    matches: (event: RecordedRunnerEvent) => boolean;
    resolve: (event: RecordedRunnerEvent) => void;
  }>();
  const listeners = runnerEventNames.map((name) => {
    const listener = (message: unknown): void => {
      const event = {
        event: name.slice('timebox:runner:'.length),
        ...(message as { runnerId: number | string }),
      };
      events.push(event);
      for (const waiter of waiters) {
        if (!waiter.matches(event)) continue;
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    };
    subscribe(name, listener);
    return { name, listener };
  });
  return {
    events,
    next(matches) {
      const found = events.find(matches);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.add({ matches, resolve }));
    },
    ofRunner: (runnerId) => events.filter((event) => event.runnerId === runnerId),
    stop() {
      for (const { name, listener } of listeners) unsubscribe(name, listener);
    },
  };
}
