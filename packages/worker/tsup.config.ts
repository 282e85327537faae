import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig({
  ...packageBuild,
  entry: { index: 'src/index.ts', 'worker-entry': 'src/worker-entry.ts' },
  dts: { entry: { index: 'src/index.ts' } },
});
