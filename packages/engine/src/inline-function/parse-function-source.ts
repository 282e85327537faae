import { parse } from 'acorn';
import type { Program } from 'estree';

/**
 * Parses a function's source text as one expression, the way a worker or child process
 * compiles it (`return (<source>);`). Returns the program, or `undefined` when the source
 * is not an expression on its own (a method shorthand or a class member).
 */
export function parseFunctionSource(source: string): Program | undefined {
  try {
    // `ranges` gives each node the `range` the scope analysis reads.
    return parse(`(${source}\n)`, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      ranges: true,
    }) as unknown as Program;
  } catch {
    return undefined;
  }
}
