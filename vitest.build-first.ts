import { execFileSync } from 'node:child_process';

/**
 * A vitest `globalSetup` for packages whose tests import their TypeScript source but start
 * threads or processes from built entry scripts (`dist/worker-entry.js`,
 * `dist/child-entry.js`): builds the package first, so that the two always match.
 */
export default function buildBeforeTests(): void {
  execFileSync('npx', ['tsup', '--silent'], { cwd: process.cwd(), stdio: 'inherit' });
}
