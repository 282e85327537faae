import { strategyConformanceCases } from './conformance-cases.js';
import type { ConformanceHooks } from './conformance-hooks.js';
import { nodeConformanceHooks } from './node-conformance-hooks.js';
import { runChannelConformanceSuite } from './run-channel-suite.js';
import type { ConformanceStrategyFactory, StrategyCapabilities } from './strategy-capabilities.js';

/**
 * The behaviour every `TimeoutStrategy` must show, as a vitest suite on Node: results and
 * errors come back intact, timeouts reject with a complete `TaskTimeoutError` whose
 * `elapsed` is never below the limit, a result that arrives after the deadline loses to
 * it, `taskSignal()` aborts at the deadline and carries the caller's abort reason,
 * concurrent tasks keep their own outcomes, limits beyond 2^31-1 ms hold, `close()`
 * rejects what is queued, running or submitted later with `StrategyClosedError` and leaves
 * nothing behind; hard strategies stop a runaway loop, report crashes and uncloneable
 * values as such, and settle even when a runner never becomes ready; each run is
 * published on the diagnostics channels. Cases behind a capability flag that the strategy
 * does not set are not registered. `hooks` default to Node's (marker files, the process's
 * active resources as the leak check); in a browser use the same function from
 * `@timebox/core/testing/runtime-neutral`.
 *
 * `createStrategy(options)` makes a fresh strategy; it applies the
 * {@link ConformanceStrategyOptions} it supports (say which in `capabilities`).
 *
 * @example
 * ```ts
 * strategyConformanceSuite('worker', (options) => workerStrategy({ maxWorkers: options?.runners ?? 2 }), {
 *   enforcement: 'hard',
 *   inlineFunctions: true,
 *   queue: true,
 * });
 * ```
 */
export function strategyConformanceSuite(
  name: string,
  createStrategy: ConformanceStrategyFactory,
  capabilities: StrategyCapabilities,
  hooks: ConformanceHooks = nodeConformanceHooks(),
): void {
  strategyConformanceCases(name, createStrategy, capabilities, hooks);
  if (capabilities.callsRunTaskWithTimeout !== true) {
    runChannelConformanceSuite(name, createStrategy, capabilities);
  }
}
