import { defineConfig } from 'tsup';
import { packageBuild, selfContainedEntrySource } from '../../tsup.shared.js';

export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', 'worker-entry': 'src/worker-entry.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  define: {
    TIMEBOX_WORKER_ENTRY_SOURCE: JSON.stringify(selfContainedEntrySource('src/worker-entry.ts')),
  },
});
