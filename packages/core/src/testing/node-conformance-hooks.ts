import type { ConformanceHooks } from './conformance-hooks.js';
import { countLeakableResources, resourcesAddedSince } from './conformance-support.js';
import { fileMarkerBoard } from './file-marker-board.js';

/**
 * The hooks on Node: the fixture module beside the suite, marker files, and a leak check of
 * the process's active timers, workers, ports, child processes and pipes.
 */
export function nodeConformanceHooks(): ConformanceHooks {
  return {
    // Resolved here, in the module built beside the fixtures folder.
    fixtures: new URL('./fixtures/conformance-tasks.js', import.meta.url),
    openMarkers: fileMarkerBoard,
    watchLeaks() {
      const baseline = countLeakableResources();
      return async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return resourcesAddedSince(baseline);
      };
    },
  };
}
