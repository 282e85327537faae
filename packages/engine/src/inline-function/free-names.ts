import { ancestor } from 'acorn-walk';
import { analyze } from 'eslint-scope';
import type { Identifier, Node, Program } from 'estree';

/**
 * The names a parsed function reads or writes without declaring them, each with the
 * identifiers where it occurs, in source order. `this` is included when an arrow function
 * at the top reads its enclosing `this`. A name only ever tested with `typeof`
 * (`typeof window`) is left out: that never throws, wherever it runs.
 */
export function findFreeNames(program: Program): ReadonlyMap<string, readonly Identifier[]> {
  // Optimistic: a direct `eval` or `with` does not stop names from resolving to the
  // declarations the source shows.
  const scopes = analyze(program, { ecmaVersion: 2022, sourceType: 'script', optimistic: true });
  const typeofTested = typeofOperands(program);
  const names = new Map<string, Identifier[]>();
  for (const reference of scopes.globalScope?.through ?? []) {
    const identifier = reference.identifier as Identifier;
    if (typeofTested.has(identifier)) continue;
    const occurrences = names.get(identifier.name);
    if (occurrences === undefined) names.set(identifier.name, [identifier]);
    else occurrences.push(identifier);
  }
  if (readsEnclosingThis(program)) names.set('this', []);
  return names;
}

/** The identifiers that are the operand of a `typeof`. */
function typeofOperands(program: Program): ReadonlySet<Node> {
  const operands = new Set<Node>();
  ancestor(program as never, {
    UnaryExpression(node) {
      const unary = node as unknown as Node;
      if (unary.type === 'UnaryExpression' && unary.operator === 'typeof') {
        operands.add(unary.argument);
      }
    },
  });
  return operands;
}

/** Whether `this` occurs outside every function and class that would give it a value. */
function readsEnclosingThis(program: Program): boolean {
  let found = false;
  ancestor(program as never, {
    ThisExpression(_node, _state, ancestors) {
      const path = ancestors as unknown as Node[];
      if (!path.some(bindsThis)) found = true;
    },
  });
  return found;
}

function bindsThis(node: Node): boolean {
  return (
    node.type === 'FunctionExpression' ||
    node.type === 'FunctionDeclaration' ||
    node.type === 'ClassBody'
  );
}
