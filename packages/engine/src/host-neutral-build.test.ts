import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { describe, expect, it } from 'vitest';

const distDirectory = new URL('../dist/', import.meta.url);
const builtins = new Set(builtinModules);

/**
 * Module specifiers a built file imports, re-exports, `import()`s or `require()`s, read from
 * its syntax tree (so that a specifier quoted in a message or a comment does not count).
 */
function importedSpecifiers(source: string, sourceType: 'module' | 'script'): string[] {
  const specifiers: string[] = [];
  const literal = (node: unknown): void => {
    const value = (node as { type?: string; value?: unknown } | null | undefined)?.value;
    if (typeof value === 'string') specifiers.push(value);
  };
  const tree = parse(source, { ecmaVersion: 'latest', sourceType });
  simple(tree, {
    ImportDeclaration: (node) => literal(node.source),
    ExportNamedDeclaration: (node) => literal(node.source),
    ExportAllDeclaration: (node) => literal(node.source),
    ImportExpression: (node) => literal(node.source),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
        literal(node.arguments[0]);
      }
    },
  });
  return specifiers;
}

describe('the built engine', () => {
  const files = readdirSync(distDirectory).filter((name) => /\.(c?js)$/.test(name));

  it('exists (build the package before testing it)', () => {
    expect(files).toEqual(expect.arrayContaining(['index.js', 'index.cjs']));
  });

  it.each(files)(
    '%s imports no node: module and no Node builtin, so a browser runner can use it',
    (name) => {
      const source = readFileSync(new URL(name, distDirectory), 'utf8');
      const specifiers = importedSpecifiers(source, name.endsWith('.cjs') ? 'script' : 'module');
      if (name.startsWith('index.')) expect(specifiers).toContain('@timebox/core');
      const builtin = specifiers.filter(
        (specifier) => specifier.startsWith('node:') || builtins.has(specifier),
      );
      expect(builtin).toEqual([]);
    },
  );

  it('keeps the parser out of the ESM index, so that a bundle of the engine alone leaves it out', () => {
    const source = readFileSync(new URL('index.js', distDirectory), 'utf8');
    const specifiers = importedSpecifiers(source, 'module');
    expect(specifiers).not.toContain('acorn');
    expect(specifiers).not.toContain('eslint-scope');
    expect(specifiers).not.toContain('globals');
    expect(specifiers.some((specifier) => specifier.startsWith('./chunk-'))).toBe(true);
  });
});
