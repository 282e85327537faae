import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A vitest `globalSetup` for packages whose tests import their TypeScript source but start
 * threads or processes from built entry scripts (`dist/worker-entry.js`,
 * `dist/child-entry.js`): rebuilds `@timebox/engine` (which those packages import from its
 * build) and then the package when a source file is newer than the build, so that what
 * the tests run always matches the sources. A fresh build (CI builds first) is left alone.
 */
export default function buildBeforeTests(): void {
  const packageDirectory = process.cwd();
  for (const directory of [resolve(packageDirectory, '../engine'), packageDirectory]) {
    if (builtAfterSources(directory)) continue;
    execFileSync('npx', ['tsup', '--silent'], { cwd: directory, stdio: 'inherit' });
  }
}

function builtAfterSources(directory: string): boolean {
  let built: number;
  try {
    built = statSync(join(directory, 'dist', 'index.js')).mtimeMs;
  } catch {
    return false;
  }
  return newestSource(join(directory, 'src')) <= built;
}

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}
