import { buildSync } from 'esbuild';
import type { Options } from 'tsup';

/**
 * The build every published package shares: ESM and CommonJS for Node 20, with type
 * declarations for both (`.d.ts`, `.d.cts`) and `import.meta.url` working in CommonJS.
 * A package adds its entries (and anything else it needs) on top.
 */
export const packageBuild = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  shims: true,
  sourcemap: true,
  target: 'node20',
} satisfies Options;

/**
 * An entry script (a worker's or a child process's) bundled with everything it imports
 * into one minified CommonJS script, for a package to build into its own code as a
 * constant (tsup's `define`): a strategy then starts its worker or child from this text
 * where the entry file is not on disk, as in an app bundled into one file.
 */
export function selfContainedEntrySource(entry: string): string {
  const { outputFiles } = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const [output] = outputFiles;
  if (output === undefined) throw new Error(`no output for ${entry}`);
  return output.text;
}
