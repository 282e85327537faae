import {
  broadcastMarkerBoard,
  strategyConformanceSuite,
} from '@timebox/core/testing/runtime-neutral';
import { detectRuntimeTermination, webWorkerStrategy } from './index.js';
import { staticWorkerUrl, watchWorkerLeaks } from './test-support.js';

strategyConformanceSuite(
  'web-worker',
  (options) =>
    webWorkerStrategy({
      workerUrl: staticWorkerUrl,
      maxWorkers: options?.runners ?? 2,
      ...(options?.startTimeout === undefined ? {} : { startTimeout: options.startTimeout }),
      // The suite kills many tasks back to back; each counts for 3 s in Chromium.
      maxZombieWorkers: 16,
    }),
  {
    enforcement: 'hard',
    inlineFunctions: true,
    queue: true,
    stats: true,
    callerReasonInTask: true,
    closedRejectsRuns: true,
    elapsedAtLeastLimit: true,
    unconfirmedStops: detectRuntimeTermination().stillRunningReason !== undefined,
  },
  {
    fixtures: new URL('/timebox-static/conformance/conformance-tasks.js', location.href),
    openMarkers: broadcastMarkerBoard,
    watchLeaks: watchWorkerLeaks,
  },
);
