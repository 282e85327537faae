import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds the package before its tests run: the tests import the TypeScript source, and the
 * worker threads they start run the built `dist/worker-entry.js`, which must match it.
 */
export default function buildBeforeTests(): void {
  execFileSync('npx', ['tsup', '--silent'], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    stdio: 'inherit',
  });
}
