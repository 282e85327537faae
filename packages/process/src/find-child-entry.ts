import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Set by the build (tsup's `define`): the child entry bundled into one CommonJS script. */
declare const TIMEBOX_CHILD_ENTRY_SOURCE: string | undefined;

/** What a child process runs: a script file, or script text (`node --eval`). */
export type ChildEntry =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'source'; readonly source: string };

/**
 * The child entry script built beside this module; from the TypeScript source (the
 * package's own tests) it is the built one in `dist/`, which the tests build first.
 * Undefined where this module has no URL (bundled into a CommonJS file). The name is not
 * a literal, so that bundlers leave the URL alone.
 */
function entryFilePath(): string | undefined {
  const moduleUrl: string | undefined = import.meta.url;
  if (typeof moduleUrl !== 'string') return undefined;
  const name = moduleUrl.endsWith('.ts') ? '../dist/child-entry.js' : './child-entry.js';
  return fileURLToPath(new URL(name, moduleUrl));
}

let entry: ChildEntry | undefined;

/**
 * What child processes run: the entry file beside this module, as installed; where it is
 * not there (an app bundled with esbuild or Vite, deployed without `node_modules`), the
 * same entry built into this module as one self-contained script.
 */
export function childEntry(): ChildEntry {
  entry ??= findChildEntry();
  return entry;
}

function findChildEntry(): ChildEntry {
  const path = entryFilePath();
  if (path !== undefined && existsSync(path)) return { kind: 'file', path };
  if (typeof TIMEBOX_CHILD_ENTRY_SOURCE === 'string') {
    return { kind: 'source', source: TIMEBOX_CHILD_ENTRY_SOURCE };
  }
  return { kind: 'file', path: path ?? 'child-entry.js' };
}
