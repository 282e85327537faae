import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

function newestSourceChange(directory: string): { path: string; time: number } {
  let newest = { path: directory, time: 0 };
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    const candidate = entry.isDirectory()
      ? newestSourceChange(path)
      : /\.test\.ts$/.test(entry.name) || !entry.name.endsWith('.ts')
        ? newest
        : { path, time: statSync(path).mtimeMs };
    if (candidate.time > newest.time) newest = candidate;
  }
  return newest;
}

/**
 * Why tests that start Node on the package's build (`dist/`) would test old code, or
 * undefined when the build is newer than every source file. Those tests assert on it first,
 * so that a stale build fails with the fix (rebuild) instead of with confusing results.
 */
export function staleBuildReason(): string | undefined {
  const built = statSync(join(packageRoot, 'dist', 'index.js'), { throwIfNoEntry: false });
  if (built === undefined) return 'dist/index.js is missing: run `npx tsup` in packages/timebox';
  const newest = newestSourceChange(join(packageRoot, 'src'));
  return newest.time > built.mtimeMs
    ? `dist/index.js is older than ${newest.path}: run \`npx tsup\` in packages/timebox`
    : undefined;
}
