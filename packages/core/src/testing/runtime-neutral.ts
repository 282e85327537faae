/**
 * `@timebox/core/testing/runtime-neutral`: the conformance suite without a `node:` import,
 * for a browser project (vitest's browser mode) or another runtime. The runtime's part
 * comes through {@link ConformanceHooks}; the diagnostics channel cases are Node's and
 * stay in `@timebox/core/testing`.
 */

import { strategyConformanceCases } from './conformance-cases.js';
import type { ConformanceHooks } from './conformance-hooks.js';
import type { ConformanceStrategyFactory, StrategyCapabilities } from './strategy-capabilities.js';

export type { ConformanceHooks } from './conformance-hooks.js';
export { broadcastMarkerBoard, type MarkerBoard } from './marker-board.js';
export type {
  ConformanceStrategyFactory,
  ConformanceStrategyOptions,
  StrategyCapabilities,
} from './strategy-capabilities.js';

/**
 * The conformance suite of `@timebox/core/testing` with the runtime's hooks given, as a
 * vitest suite: the fixture module at a URL the strategy's runners import, a marker board
 * ({@link broadcastMarkerBoard} in a browser) and, when the runtime can tell, a leak check.
 * Cases behind a capability flag that the strategy does not set are not registered.
 *
 * @example
 * ```ts
 * strategyConformanceSuite('web-worker', () => webWorkerStrategy({ workerUrl }), capabilities, {
 *   fixtures: new URL('/static/conformance-tasks.js', location.href),
 *   openMarkers: broadcastMarkerBoard,
 * });
 * ```
 */
export function strategyConformanceSuite(
  name: string,
  createStrategy: ConformanceStrategyFactory,
  capabilities: StrategyCapabilities,
  hooks: ConformanceHooks,
): void {
  strategyConformanceCases(name, createStrategy, capabilities, hooks);
}
