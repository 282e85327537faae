import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Apps bundled as they are deployed: fixtures/bundled-app.mjs is bundled with esbuild and
 * with Vite (`build.ssr`), copied with its task module into a fresh folder under the
 * system's temporary directory, with no `node_modules` above it, and run there. The worker
 * and process strategies must find their entries inside the bundle: a module task, an
 * inline task and a runaway stopped at its deadline, then the app exits by itself with
 * code 0 (`execFile`'s timeout kills it otherwise, and fails the test).
 */
const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const app = join(fixtures, 'bundled-app.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'timebox-bundled-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Whether a `node_modules` folder is in `directory` or any folder above it. */
function nodeModulesAbove(directory: string): boolean {
  for (let current = directory; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) return true;
    if (current === parse(current).root) return false;
  }
}

const bundlers = {
  esbuild: async (outDir: string) => {
    await esbuild({
      entryPoints: [app],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(outDir, 'app.mjs'),
      logLevel: 'error',
    });
  },
  vite: async (outDir: string) => {
    await viteBuild({
      configFile: false,
      logLevel: 'error',
      root: fixtures,
      build: {
        ssr: app,
        outDir,
        emptyOutDir: true,
        rollupOptions: { output: { entryFileNames: 'app.mjs' } },
      },
      ssr: { noExternal: true, target: 'node' },
    });
  },
};

describe('an app bundled', () => {
  it.each(Object.keys(bundlers) as (keyof typeof bundlers)[])(
    'with %s runs worker and process tasks from a folder without node_modules',
    async (bundler) => {
      const outDir = join(scratch, `${bundler}-build`);
      await bundlers[bundler](outDir);
      const deployed = mkdtempSync(join(tmpdir(), `timebox-deployed-${bundler}-`));
      try {
        for (const file of readdirSync(outDir)) {
          copyFileSync(join(outDir, file), join(deployed, file));
        }
        copyFileSync(join(fixtures, 'bundled-tasks.mjs'), join(deployed, 'bundled-tasks.mjs'));
        expect(nodeModulesAbove(deployed)).toBe(false);

        const { stdout } = await run(process.execPath, [join(deployed, 'app.mjs')], {
          cwd: deployed,
          timeout: 30_000,
        });
        const report = JSON.parse(stdout);
        for (const strategy of ['worker', 'process']) {
          expect(report[strategy], strategy).toMatchObject({
            module: { value: 42 },
            inline: { value: 15 },
            runaway: { error: 'TaskTimeoutError' },
          });
        }
      } finally {
        rmSync(deployed, { recursive: true, force: true });
      }
    },
    40_000,
  );
});
