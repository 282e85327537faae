import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig({
  ...packageBuild,
  entry: {
    index: 'src/index.ts',
    'strategy-kit': 'src/strategy-kit.ts',
    'testing/index': 'src/testing/index.ts',
    'testing/runtime-neutral': 'src/testing/runtime-neutral.ts',
    'testing/fixtures/conformance-tasks': 'src/testing/fixtures/conformance-tasks.ts',
    'testing/fixtures/run-channel-tasks': 'src/testing/fixtures/run-channel-tasks.ts',
    'testing/fixtures/hang-on-start': 'src/testing/fixtures/hang-on-start.ts',
  },
  splitting: true,
  external: ['vitest', '@timebox/core'],
});
