import type { StrategyStats } from '@timebox/core';
import { DurationSamples } from './duration-samples.js';

/**
 * A snapshot of a hard strategy's pool, from `stats()`: core's `StrategyStats` (queued,
 * running, idle and spare runners, outcomes, kills, wait and run time percentiles) and
 * the runners being stopped or given up on.
 */
export interface EngineStats extends StrategyStats {
  /**
   * Of the `queued` tasks, those sent ahead to busy runners that prefetch (each starts
   * there as soon as the task before it ends); 0 for runners that do not prefetch.
   */
  readonly prefetched: number;
  /** Runners stopped but not yet confirmed gone. */
  readonly stoppingRunners: number;
  /** Runners that could not be confirmed gone within `exitTimeout` and were given up on. */
  readonly unconfirmedRunners: number;
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
