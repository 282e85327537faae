import { ancestor } from 'acorn-walk';
import type { Identifier, Node, Program } from 'estree';

/** A global that the function's own module seems to have replaced by an import. */
export interface ShadowedGlobal {
  /** The global's name, e.g. `crypto`. */
  readonly name: string;
  /** The source that shows it, e.g. `crypto.createHash` or `await setTimeout(…)`. */
  readonly evidence: string;
  /** The module it most likely came from, e.g. `node:crypto`. */
  readonly module: string;
}

/** Globals whose name is also a Node built-in module that is often imported under it. */
const builtinModuleNames: ReadonlySet<string> = new Set(['crypto', 'process', 'console']);
/** Names that reach everything global: reading any member of them is ordinary. */
const globalObjectNames: ReadonlySet<string> = new Set(['globalThis', 'global', 'self']);
/** Timer globals whose `node:timers/promises` namesakes return promises. */
const promiseTimerNames: ReadonlySet<string> = new Set([
  'setTimeout',
  'setImmediate',
  'setInterval',
]);

/**
 * Finds free names that are globals of the target but are used in a way only an import of
 * the same name supports, so the function would get the wrong value there:
 *
 * - a global object read as a namespace with a member it does not have in this runtime:
 *   `crypto.createHash` (the global `crypto` is Web Crypto; `node:crypto` has `createHash`);
 * - a timer whose result is awaited, chained with `.then` or iterated with `for await`:
 *   `await setTimeout(100)` (the global returns a timer; `node:timers/promises` a promise).
 *
 * `occurrences` are the free identifiers of each global name, as the scope analysis found them.
 */
export function findShadowedGlobals(
  program: Program,
  occurrences: ReadonlyMap<string, readonly Identifier[]>,
): readonly ShadowedGlobal[] {
  const free = new Set<Node>([...occurrences.values()].flat());
  const found = new Map<string, ShadowedGlobal>();
  const record = (shadowed: ShadowedGlobal): void => {
    if (!found.has(shadowed.name)) found.set(shadowed.name, shadowed);
  };
  ancestor(program as never, {
    MemberExpression(node) {
      const member = node as unknown as Node;
      if (member.type !== 'MemberExpression' || member.computed) return;
      const { object, property } = member;
      if (object.type !== 'Identifier' || !free.has(object) || property.type !== 'Identifier') {
        return;
      }
      if (globalObjectNames.has(object.name) || hasMember(object.name, property.name)) return;
      record({
        name: object.name,
        evidence: `${object.name}.${property.name}`,
        module: builtinModuleNames.has(object.name) ? `node:${object.name}` : 'an import',
      });
    },
    CallExpression(node, _state, ancestors) {
      const call = node as unknown as Node;
      if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier') return;
      const callee = call.callee;
      if (!free.has(callee) || !promiseTimerNames.has(callee.name)) return;
      const parent = (ancestors as unknown as Node[]).at(-2);
      const evidence = parent === undefined ? undefined : promiseUse(parent, call, callee.name);
      if (evidence === undefined) return;
      record({ name: callee.name, evidence, module: 'node:timers/promises' });
    },
  });
  return [...found.values()];
}

/** Whether the global `name` of this runtime is an object that has `member`. */
function hasMember(name: string, member: string): boolean {
  const value: unknown = (globalThis as Record<string, unknown>)[name];
  if (typeof value !== 'object' || value === null) return true;
  return member in value;
}

/**
 * How `parent` uses the timer `call` as a promise or an async iterator (`await
 * setTimeout(…)`, `setTimeout(…).then`, `for await (… of setInterval(…))`), or `undefined`.
 */
function promiseUse(parent: Node, call: Node, name: string): string | undefined {
  if (parent.type === 'AwaitExpression') return `await ${name}(…)`;
  if (
    parent.type === 'MemberExpression' &&
    parent.object === call &&
    parent.property.type === 'Identifier' &&
    parent.property.name === 'then'
  ) {
    return `${name}(…).then`;
  }
  if (parent.type === 'ForOfStatement' && parent.await && parent.right === call) {
    return `for await (… of ${name}(…))`;
  }
  return undefined;
}
