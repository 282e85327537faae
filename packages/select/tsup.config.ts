import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

export default defineConfig([
  {
    ...packageBuild,
    // Not cleaned: both builds write to dist at once.
    clean: false,
    entry: { index: 'src/index.ts' },
  },
  {
    // The `browser` condition: the same API, with core's inline-function check in place of
    // the engine's parser (see src/inline-support.browser.ts).
    entry: { browser: 'src/index.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    esbuildPlugins: [
      {
        name: 'browser-inline-support',
        setup(build) {
          build.onResolve({ filter: /\/inline-support\.js$/ }, () => ({
            path: new URL('./src/inline-support.browser.ts', import.meta.url).pathname,
          }));
        },
      },
    ],
  },
]);
