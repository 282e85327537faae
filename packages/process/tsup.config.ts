import { defineConfig } from 'tsup';
import { packageBuild, selfContainedEntrySource } from '../../tsup.shared.js';

export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', 'child-entry': 'src/child-entry.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  define: {
    TIMEBOX_CHILD_ENTRY_SOURCE: JSON.stringify(selfContainedEntrySource('src/child-entry.ts')),
  },
});
