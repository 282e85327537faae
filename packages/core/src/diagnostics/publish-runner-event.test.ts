import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import * as root from '../index.js';
import * as kit from '../strategy-kit.js';
import { type RunnerEventName, timeboxChannels } from './channel-names.js';
import { isRunnerEventObserved, publishRunnerEvent } from './publish-runner-event.js';
import type { RunnerKilledMessage } from './runner-event-messages.js';

const killed: RunnerKilledMessage = {
  strategy: 'worker',
  runnerId: 7,
  reason: 'timeout',
  task: 'resize',
  forced: true,
};

describe('publishRunnerEvent', () => {
  it('delivers the message, as given, to a subscriber of that channel only', () => {
    const received: Array<[string, unknown]> = [];
    const onKilled = (message: unknown, name: string | symbol) =>
      received.push([String(name), message]);
    const onCrashed = (message: unknown, name: string | symbol) =>
      received.push([String(name), message]);
    diagnosticsChannel.subscribe(timeboxChannels.runnerKilled, onKilled);
    diagnosticsChannel.subscribe(timeboxChannels.runnerCrashed, onCrashed);
    try {
      publishRunnerEvent(timeboxChannels.runnerKilled, killed);
    } finally {
      diagnosticsChannel.unsubscribe(timeboxChannels.runnerKilled, onKilled);
      diagnosticsChannel.unsubscribe(timeboxChannels.runnerCrashed, onCrashed);
    }
    expect(received).toEqual([['timebox:runner:killed', killed]]);
    expect(received[0]?.[1]).toBe(killed);
  });

  it('says whether anyone listens, so that a strategy can skip building the message', () => {
    const listener = () => {};
    expect(isRunnerEventObserved(timeboxChannels.runnerSpawned)).toBe(false);
    diagnosticsChannel.subscribe(timeboxChannels.runnerSpawned, listener);
    expect(isRunnerEventObserved(timeboxChannels.runnerSpawned)).toBe(true);
    diagnosticsChannel.unsubscribe(timeboxChannels.runnerSpawned, listener);
    expect(isRunnerEventObserved(timeboxChannels.runnerSpawned)).toBe(false);
  });

  it('publishes nothing, and throws nothing, when nobody listens', () => {
    expect(() =>
      publishRunnerEvent(timeboxChannels.runnerQuarantined, {
        strategy: 'process',
        runnerId: 4242,
        reason: 'its exit could not be confirmed',
      }),
    ).not.toThrow();
  });

  it.each([
    ['timebox:run', '"timebox:run"'],
    ['timebox:runner:exploded', '"timebox:runner:exploded"'],
    [42, '42'],
  ])('refuses the name %s with a TypeError that lists the known names', (name, shown) => {
    const call = () => publishRunnerEvent(name as RunnerEventName, killed);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(`got ${shown}`);
    expect(call).toThrow("'timebox:runner:killed'");
    expect(() => isRunnerEventObserved(name as RunnerEventName)).toThrow(TypeError);
  });

  it.each([
    [null, 'null'],
    ['killed', '"killed"'],
  ])('refuses the message %s with a TypeError naming the event', (message, shown) => {
    const call = () => publishRunnerEvent(timeboxChannels.runnerKilled, message as never);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(
      `runner event 'timebox:runner:killed': message must be an object, got ${shown}`,
    );
  });
});

describe('timeboxChannels', () => {
  it('names every channel once, under timebox:, and cannot be changed', () => {
    const names = Object.values(timeboxChannels);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^timebox:[a-z:-]+$/);
    expect(Object.isFrozen(timeboxChannels)).toBe(true);
  });
});

describe('where the diagnostics API is exported', () => {
  it('gives users the channel names, and strategy authors the runner event publisher', () => {
    expect(root.timeboxChannels).toBe(timeboxChannels);
    expect(kit.timeboxChannels).toBe(timeboxChannels);
    expect(kit.publishRunnerEvent).toBe(publishRunnerEvent);
    expect(kit.isRunnerEventObserved).toBe(isRunnerEventObserved);
    expect(Object.keys(root)).not.toContain('publishRunnerEvent');
  });
});
