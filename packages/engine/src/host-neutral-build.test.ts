import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const distDirectory = new URL('../dist/', import.meta.url);
const builtins = new Set(builtinModules);

/** Module specifiers the built files import or require. */
function importedSpecifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? '');
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
      const specifiers = importedSpecifiers(source);
      expect(specifiers).toContain('@timebox/core');
      const builtin = specifiers.filter(
        (specifier) => specifier.startsWith('node:') || builtins.has(specifier),
      );
      expect(builtin).toEqual([]);
    },
  );
});
