import type { Identifier, Program } from 'estree';
import type { FreeName } from './free-name-kind.js';
import { findShadowedGlobals } from './shadowed-globals.js';
import { isTargetGlobal } from './target-globals.js';

const commonJsNames: ReadonlySet<string> = new Set([
  'require',
  'module',
  'exports',
  '__dirname',
  '__filename',
]);

/** Names that compilers and bundlers write in place of imports and helpers. */
const compiledNamePatterns: readonly RegExp[] = [
  // TypeScript's CommonJS output: `import { x } from './core'` becomes `core_1.x`.
  /^[A-Za-z_$][\w$]*_\d+$/,
  // TypeScript, tslib and esbuild helpers: `__awaiter`, `__generator`, `__importDefault`, `__name`, `__toESM`.
  /^__[a-z][A-Za-z]*$/,
  // esbuild's CommonJS output: `import fs from 'node:fs'` becomes `import_node_fs.default`.
  /^import_[\w$]+$/,
  // Babel's helpers: `_interopRequireDefault`, `_asyncToGenerator`, `_objectSpread2`.
  /^_(interopRequire\w*|asyncToGenerator|objectSpread\d*|defineProperty|regeneratorRuntime)$/,
  // Vite and vitest's module transform: `__vite_ssr_import_0__`, `__vi_import_0__`.
  /^__vi(te_ssr)?_\w*import_\d+__$/,
];

/**
 * Sorts the free names of a parsed function into those that keep it from running in
 * another thread or process, in source order; the globals of the target that are used as
 * globals are left out. An empty list means the function is self-contained.
 */
export function classifyFreeNames(
  program: Program,
  occurrences: ReadonlyMap<string, readonly Identifier[]>,
): readonly FreeName[] {
  const targetGlobals = new Map<string, readonly Identifier[]>();
  const names: FreeName[] = [];
  for (const [name, identifiers] of occurrences) {
    if (commonJsNames.has(name)) names.push({ name, kind: 'common-js' });
    else if (compiledNamePatterns.some((pattern) => pattern.test(name))) {
      names.push({ name, kind: 'compiled-import' });
    } else if (name !== 'this' && isTargetGlobal(name)) targetGlobals.set(name, identifiers);
    else names.push({ name, kind: 'captured' });
  }
  for (const shadowed of findShadowedGlobals(program, targetGlobals)) {
    names.push({ kind: 'shadowed-global', ...shadowed });
  }
  return names;
}
