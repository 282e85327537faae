import { type Logger, silentLogger } from '@timebox/core';
import type { LingeringRunnersLimit } from './lingering-runners.js';
import type { RunnerFactory } from './runner.js';
import type { OptionRule, OptionRules } from './strategy-options.js';

/** The settings every hard strategy shares, with defaults applied ({@link sharedSettings}). */
export interface SharedSettings {
  /** Milliseconds a task gets to stop on its own after its signal aborts; `Infinity` waits. */
  readonly graceMs: number;
  /** Milliseconds an idle runner is kept; `Infinity` keeps it. */
  readonly idleTimeout: number;
  /** How many tasks may wait; `Infinity` for no bound. */
  readonly maxQueue: number;
  /** Milliseconds a runner may take to become ready before its start counts as failed. */
  readonly startTimeout: number;
  /** Failed starts in a row before the oldest waiting task is rejected (`spawn-failed`). */
  readonly startAttempts: number;
  /** Milliseconds to wait for a stopped runner's exit before giving up on it. */
  readonly exitTimeout: number;
  /** The strategy's own logger: events between tasks go there. */
  readonly logger: Logger;
}

/** Everything an engine needs, with every default already applied by its strategy. */
export interface EngineSettings extends SharedSettings {
  /** The strategy's name, for errors (`worker`, `process`). */
  readonly strategy: string;
  /** Starts runners. */
  readonly runners: RunnerFactory;
  /** The most runners holding tasks at once. */
  readonly maxRunners: number;
  /** Runners started ahead of need and kept idle outside the pool. */
  readonly spareRunners: number;
  /**
   * How many stopped runners that may still be running (`RunnerExit.lingersForMs`) are
   * allowed before no new runner starts; none when absent.
   */
  readonly lingeringRunners?: LingeringRunnersLimit;
}

/** The defaults of the options every hard strategy shares. */
export const engineDefaults = Object.freeze({
  graceMs: 100,
  idleTimeout: 30_000,
  maxQueue: Infinity,
  startTimeout: 10_000,
  startAttempts: 3,
  exitTimeout: 5_000,
});

/** The largest pool size a strategy accepts. */
export const maximumRunners = 1_024;

/** The largest number of spares a strategy accepts. */
export const maximumSpares = 64;

/** The rule of a pool size option (`maxWorkers`, `maxProcesses`): 1 to {@link maximumRunners}. */
export const poolSizeRule: OptionRule = Object.freeze({
  kind: 'count',
  minimum: 1,
  maximum: maximumRunners,
});

/** The rule of a spare count option (`spareWorkers`, `spareProcesses`): 0 to {@link maximumSpares}. */
export const spareCountRule: OptionRule = Object.freeze({
  kind: 'count',
  minimum: 0,
  maximum: maximumSpares,
});

/**
 * The rules of the options every hard strategy shares, for `checkStrategyOptions`; a
 * strategy adds its own (its pool size under its own name, its runner's settings).
 */
export const engineOptionRules: OptionRules = Object.freeze({
  graceMs: { kind: 'duration' },
  idleTimeout: { kind: 'duration' },
  maxQueue: { kind: 'count', minimum: 0, maximum: Infinity, infinity: true },
  startTimeout: { kind: 'duration' },
  startAttempts: { kind: 'count', minimum: 1, maximum: 100 },
  exitTimeout: { kind: 'duration' },
  logger: { kind: 'logger' },
});

/**
 * Applies the defaults of the shared options to options already checked with
 * `checkStrategyOptions` against rules that include {@link engineOptionRules};
 * `defaults` overrides some defaults for one strategy.
 */
export function sharedSettings(
  given: Readonly<Record<string, unknown>>,
  defaults: Partial<Record<keyof typeof engineDefaults, number>> = {},
): SharedSettings {
  const chosen: Record<keyof typeof engineDefaults, number> = { ...engineDefaults, ...defaults };
  const number = (name: keyof typeof engineDefaults): number =>
    (given[name] as number | undefined) ?? chosen[name];
  return {
    graceMs: number('graceMs'),
    idleTimeout: number('idleTimeout'),
    maxQueue: number('maxQueue'),
    startTimeout: number('startTimeout'),
    startAttempts: number('startAttempts'),
    exitTimeout: number('exitTimeout'),
    logger: (given.logger as Logger | undefined) ?? silentLogger,
  };
}
