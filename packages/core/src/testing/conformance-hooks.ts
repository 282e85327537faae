import type { MarkerBoard } from './marker-board.js';

/**
 * What the conformance suite needs from the runtime it runs in, so that the same cases run
 * on Node and in a browser: the fixture module as the strategy's runners import it, where
 * tasks report markers, and a leak check.
 */
export interface ConformanceHooks {
  /**
   * The built `conformance-tasks.js` of `@timebox/core/testing`'s fixtures, at a URL the
   * strategy's runners can import (in a browser: served as it is, with `@timebox/core`
   * bundled in and `node:fs` left out).
   */
  readonly fixtures: URL;
  /** Opens a board where tasks report markers; the suite closes it after its cases. */
  openMarkers(): MarkerBoard;
  /**
   * Starts a leak check: the function it returns lists what was started since and is
   * still there (`2 × Worker`), after letting a turn pass. Without it, the leak case is
   * not registered.
   */
  readonly watchLeaks?: () => () => Promise<string[]>;
}
