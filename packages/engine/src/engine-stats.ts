import { type DurationPercentiles, DurationSamples } from './duration-samples.js';

/** A snapshot of a hard strategy's pool, from `stats()`. */
export interface EngineStats {
  /** Tasks waiting for a runner. */
  readonly queued: number;
  /** Tasks running (or handed to a runner that is still starting). */
  readonly running: number;
  /** Runners in the pool that hold no task. */
  readonly idleRunners: number;
  /** Runners started ahead of need, outside the pool. */
  readonly spareRunners: number;
  /** Runners stopped but not yet confirmed gone. */
  readonly stoppingRunners: number;
  /** Runners that could not be confirmed gone within `exitTimeout` and were given up on. */
  readonly unconfirmedRunners: number;
  /** Tasks that settled with their own result or error. */
  readonly completed: number;
  /** Tasks that passed their time limit. */
  readonly timedOut: number;
  /** Tasks whose runner crashed under them (a failed start included). */
  readonly crashed: number;
  /** Runners the engine stopped while they ran a task (timeouts, aborts, close). */
  readonly kills: number;
  /** Time from the call to the start of execution, for recent tasks. */
  readonly waitTime: DurationPercentiles;
  /** Time from the start of execution to the outcome, for recent tasks. */
  readonly runTime: DurationPercentiles;
}

/** The counters behind {@link EngineStats}. */
export class EngineCounters {
  /** See {@link EngineStats.completed}. */
  completed = 0;
  /** See {@link EngineStats.timedOut}. */
  timedOut = 0;
  /** See {@link EngineStats.crashed}. */
  crashed = 0;
  /** See {@link EngineStats.kills}. */
  kills = 0;
  /** See {@link EngineStats.unconfirmedRunners}. */
  unconfirmed = 0;
  /** See {@link EngineStats.waitTime}. */
  readonly waitTimes = new DurationSamples();
  /** See {@link EngineStats.runTime}. */
  readonly runTimes = new DurationSamples();
}
