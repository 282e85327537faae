import type { FreeName, FreeNameKind } from './free-name-kind.js';

const moduleTaskFix = 'or make it a module task ({ module, export })';

/**
 * The reason a closure is refused: what each kind of free name is, and how to fix it,
 * e.g. `the inline function reads factor from its enclosing scope, which another thread
 * or process does not have: pass it as an argument, or make it a module task ({ module,
 * export })`.
 */
export function describeFreeNames(freeNames: readonly FreeName[]): string {
  const parts: string[] = [];
  for (const kind of ['captured', 'common-js', 'compiled-import', 'shadowed-global'] as const) {
    const ofKind = freeNames.filter((freeName) => freeName.kind === kind);
    if (ofKind.length > 0) parts.push(describeKind(kind, ofKind));
  }
  return `the inline function ${parts.join('; it also ')}`;
}

function describeKind(kind: FreeNameKind, freeNames: readonly FreeName[]): string {
  const names = freeNames.map((freeName) => freeName.name).join(', ');
  switch (kind) {
    case 'captured':
      return `reads ${names} from its enclosing scope, which another thread or process does not have: pass ${freeNames.length === 1 ? 'it as an argument' : 'them as arguments'}${freeNames.some((freeName) => freeName.name === 'this') ? " (an arrow function's this: pass the value it stands for)" : ''}, import what comes from a module inside the function (const { x } = await import('…')), ${moduleTaskFix}`;
    case 'common-js':
      return `uses ${names}, which exist only in a CommonJS module's own scope, not in another thread or process: load modules inside the function with await import('node:fs') instead of require, pass paths such as __dirname as arguments, ${moduleTaskFix}`;
    case 'compiled-import':
      return `uses ${names}, which look like names a compiler wrote in place of your imports or its helpers (TypeScript's CommonJS output writes core_1 for an import from './core', and __awaiter when it compiles async functions for a target older than ES2017; esbuild writes import_node_fs and __name): import what the function needs inside it with await import('…'), compile for ES2017 or later, ${moduleTaskFix}`;
    case 'shadowed-global':
      return `uses ${freeNames.map(describeShadowed).join(', ')}, which shows an import of the caller's module; another thread or process has only the global of that name: import it inside the function (const crypto = await import('node:crypto')), ${moduleTaskFix}`;
  }
}

function describeShadowed(freeName: FreeName): string {
  return `${freeName.evidence ?? freeName.name} (imported from ${freeName.module ?? 'a module'}?)`;
}
