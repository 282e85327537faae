import { describeValue } from '../describe-value.js';
import { type RunnerEventName, timeboxChannels } from './channel-names.js';
import { diagnosticsChannelModule, type PublishingChannel } from './diagnostics-channel-module.js';
import type { RunnerEventMessages } from './runner-event-messages.js';

const runnerEventNames: ReadonlySet<string> = new Set(
  Object.values(timeboxChannels).filter((name) => name !== timeboxChannels.run),
);

const runnerChannels = new Map<string, PublishingChannel>();

function runnerChannel(name: RunnerEventName): PublishingChannel | undefined {
  if (!runnerEventNames.has(name)) {
    throw new TypeError(
      `runner event name must be one of ${[...runnerEventNames].map((known) => `'${known}'`).join(', ')}, got ${describeValue(name)}`,
    );
  }
  const found = runnerChannels.get(name);
  if (found !== undefined) return found;
  const module = diagnosticsChannelModule();
  if (module === undefined) return undefined;
  const created = module.channel(name);
  runnerChannels.set(name, created);
  return created;
}

/**
 * Whether anyone listens to the runner event `name`: a strategy checks it before it builds
 * a message, so that an unobserved event costs one lookup. Throws a `TypeError` for a name
 * that is not a runner event.
 */
export function isRunnerEventObserved(name: RunnerEventName): boolean {
  return runnerChannel(name)?.hasSubscribers === true;
}

/**
 * Publishes a runner event (`timebox:runner:spawned`, `…:killed`…) with its message, when
 * anyone subscribes; does nothing in runtimes without `diagnostics_channel`. Throws a
 * `TypeError` for a name that is not a runner event or a message that is not an object.
 *
 * @example
 * ```ts
 * publishRunnerEvent(timeboxChannels.runnerKilled, {
 *   strategy: 'worker', runnerId: 3, reason: 'timeout', task: 'resize', forced: true,
 * });
 * ```
 */
export function publishRunnerEvent<Name extends RunnerEventName>(
  name: Name,
  message: RunnerEventMessages[Name],
): void {
  const channel = runnerChannel(name);
  if (typeof message !== 'object' || message === null) {
    throw new TypeError(
      `runner event '${name}': message must be an object, got ${describeValue(message)}`,
    );
  }
  if (channel?.hasSubscribers === true) channel.publish(message);
}
