import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'worker-entry': 'src/worker-entry.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  shims: true,
  sourcemap: true,
  target: 'node20',
});
