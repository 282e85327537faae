/**
 * Why a free name keeps an inline function from running in another thread or process:
 *
 * - `captured`: a variable of the enclosing scope (`factor`), or `this` read by an arrow
 *   function;
 * - `common-js`: a name only a CommonJS module's scope has (`require`, `module`, `exports`,
 *   `__dirname`, `__filename`);
 * - `compiled-import`: a name a compiler or bundler put in place of an import or a helper
 *   (TypeScript's `core_1` and `__awaiter`, esbuild's `import_node_fs` and `__name`,
 *   Babel's `_interopRequireDefault`, Vite's `__vite_ssr_import_0__`);
 * - `shadowed-global`: a global of the target that the caller's module replaced with an
 *   import (`crypto.createHash` read from `import crypto from 'node:crypto'`).
 */
export type FreeNameKind = 'captured' | 'common-js' | 'compiled-import' | 'shadowed-global';

/** A free name of an inline function that another thread or process would not have (or would have with another value). */
export interface FreeName {
  /** The name as written in the source, or `this`. */
  readonly name: string;
  /** Why it keeps the function from being sent; see {@link FreeNameKind}. */
  readonly kind: FreeNameKind;
  /** For a shadowed global: the source that shows the import, e.g. `crypto.createHash`. */
  readonly evidence?: string;
  /** For a shadowed global: the module it most likely came from, e.g. `node:crypto`. */
  readonly module?: string;
}
