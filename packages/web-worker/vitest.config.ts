import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { defineConfig } from 'vitest/config';
import { chromiumBrowser, rawStaticFiles } from '../../vitest.browser.js';
import { packageTests } from '../../vitest.shared.js';

const folder = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The conformance suite's task module for the browser: core's built fixture with
 * `@timebox/core` bundled in (a worker has no import map) and `node:fs` left out (its
 * markers go to a BroadcastChannel there), served raw beside the worker entry.
 */
const conformanceFolder = folder('./node_modules/.cache/timebox-conformance/');
const corePackage = fileURLToPath(import.meta.resolve('@timebox/core/package.json'));
const noFileSystem: Plugin = {
  name: 'no-file-system',
  setup(build) {
    build.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: 'fs', namespace: 'no-fs' }));
    build.onLoad({ filter: /.*/, namespace: 'no-fs' }, () => ({
      contents:
        "const missing = () => { throw new Error('no file system here'); };\nexport { missing as writeFileSync, missing as renameSync };",
    }));
  },
};
await build({
  entryPoints: [join(dirname(corePackage), 'dist/testing/fixtures/conformance-tasks.js')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outdir: conformanceFolder,
  logLevel: 'silent',
  plugins: [noFileSystem],
});

export default defineConfig({
  plugins: [
    rawStaticFiles({
      '/timebox-static/dist/': folder('./dist/'),
      '/timebox-static/fixtures/': folder('./src/test-fixtures/'),
      '/timebox-static/conformance/': conformanceFolder,
    }),
  ],
  test: {
    ...packageTests,
    browser: chromiumBrowser,
  },
});
