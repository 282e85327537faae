import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * A vitest `globalSetup` for packages whose tests import their TypeScript source but start
 * threads or processes from built entry scripts (`dist/worker-entry.js`,
 * `dist/child-entry.js`): builds `@timebox/engine` (which those packages import from its
 * build) and then the package, so that what the tests run always matches the sources.
 */
export default function buildBeforeTests(): void {
  const packageDirectory = process.cwd();
  for (const directory of [resolve(packageDirectory, '../engine'), packageDirectory]) {
    execFileSync('npx', ['tsup', '--silent'], { cwd: directory, stdio: 'inherit' });
  }
}
