import globals from 'globals';

const declaredGlobals: ReadonlySet<string> = new Set([
  ...Object.keys(globals.builtin),
  ...Object.keys(globals.nodeBuiltin),
  // Every inline function gets `taskSignal` from the runner, as a free name.
  'taskSignal',
]);

/**
 * Whether `name` is a global of a worker thread or child process that runs an inline
 * function: a name that ECMAScript or Node defines for every script (the `globals`
 * package's `builtin` and `nodeBuiltin` lists, without CommonJS's `require`, `module`,
 * `exports`, `__dirname`, `__filename`) and that this runtime has too (a newer Node's
 * global such as `WebSocket` counts only where it exists), or `taskSignal`. Worker threads
 * and child processes of one Node have the same globals: the source is compiled there in
 * the global scope, never inside a module.
 */
export function isTargetGlobal(name: string): boolean {
  return declaredGlobals.has(name) && (name === 'taskSignal' || name in globalThis);
}
