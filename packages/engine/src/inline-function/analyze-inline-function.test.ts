import { describe, expect, it } from 'vitest';
import { analyzeInlineFunction } from './analyze-inline-function.js';

/** A function whose source text is exactly `source`, as a user's module would hold it. */
function fromSource(source: string): Function {
  return new Function(`return (${source});`)() as Function;
}

describe('analyzeInlineFunction', () => {
  describe('self-contained functions', () => {
    it.each([
      [
        'parameters and locals',
        '(a, { b }, ...rest) => { const c = a + b; let d = rest.length; return c + d; }',
      ],
      [
        'a named function calling itself',
        'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }',
      ],
      [
        'hoisted inner functions, classes, catch and labels',
        'function () { try { return inner(); } catch (error) { return String(error); } function inner() { class Point { x = this; } outer: for (;;) break outer; return new Point(); } }',
      ],
      [
        'globals of the target',
        'async (n) => { await new Promise((resolve) => setTimeout(resolve, n)); return [Math.max(n, 1), JSON.stringify({ n }), process.env.HOME, crypto.randomUUID(), Buffer.from("a"), taskSignal().aborted]; }',
      ],
      [
        'modules imported inside it',
        "async (text) => { const { createHash } = await import('node:crypto'); return createHash('sha256').update(text).digest('hex'); }",
      ],
      [
        'a direct eval beside its own parameters',
        "(counter) => { Atomics.add(counter, 0, 1); return eval('counter'); }",
      ],
      ['a name tested only with typeof', "() => typeof window === 'undefined'"],
      ['this inside a function expression', 'function () { return this; }'],
      [
        'property names and object keys',
        '(value) => ({ factor: value.factor, offset: value["offset"] })',
      ],
    ])('accepts %s', (_label, source) => {
      expect(analyzeInlineFunction(fromSource(source))).toEqual({
        verdict: 'self-contained',
        freeNames: [],
      });
    });
  });

  describe('closures', () => {
    it('names a variable of the enclosing scope and suggests the fix', () => {
      const factor = 3;
      const analysis = analyzeInlineFunction((n: number) => n * factor);
      expect(analysis.verdict).toBe('closure');
      expect(analysis.freeNames).toEqual([{ name: 'factor', kind: 'captured' }]);
      expect(analysis.reason).toBe(
        "the inline function reads factor from its enclosing scope, which another thread or process does not have: pass it as an argument, import what comes from a module inside the function (const { x } = await import('…')), or make it a module task ({ module, export })",
      );
    });

    it("names every captured variable once, an assignment to an undeclared name and an arrow function's this", () => {
      const analysis = analyzeInlineFunction(
        fromSource('(n) => { total = offset + n * offset; return this.scale * total; }'),
      );
      expect(analysis.freeNames.map((freeName) => freeName.name)).toEqual([
        'total',
        'offset',
        'this',
      ]);
      expect(analysis.reason).toMatch(
        /^the inline function reads total, offset, this from its enclosing scope.*pass them as arguments \(an arrow function's this: pass the value it stands for\)/,
      );
    });

    it('explains CommonJS names', () => {
      const analysis = analyzeInlineFunction(
        fromSource("() => require('node:fs').readFileSync(__dirname + '/data.txt')"),
      );
      expect(analysis.freeNames).toEqual([
        { name: 'require', kind: 'common-js' },
        { name: '__dirname', kind: 'common-js' },
      ]);
      expect(analysis.reason).toMatch(
        /uses require, __dirname, which exist only in a CommonJS module's own scope.*await import\('node:fs'\) instead of require.*module task/,
      );
    });

    it.each([
      ['TypeScript CommonJS imports', '() => core_1.defineTask', 'core_1'],
      [
        'TypeScript async helpers',
        'function () { return __awaiter(this, void 0, void 0, function* () { return 1; }); }',
        '__awaiter',
      ],
      ['esbuild imports', '() => import_node_fs.default.readFileSync', 'import_node_fs'],
      ['Babel helpers', '() => _interopRequireDefault(x)', '_interopRequireDefault'],
      ['vitest module transforms', '() => __vi_import_0__.run()', '__vi_import_0__'],
    ])('explains %s', (_label, source, name) => {
      const analysis = analyzeInlineFunction(fromSource(source));
      expect(analysis.verdict).toBe('closure');
      expect(analysis.freeNames).toContainEqual({ name, kind: 'compiled-import' });
      expect(analysis.reason).toMatch(
        /look like names a compiler wrote in place of your imports.*await import\('…'\).*ES2017/,
      );
    });

    it('says when a module reads an import the vitest transform renamed', () => {
      // This file's import of analyzeInlineFunction is renamed by vitest's module transform.
      const analysis = analyzeInlineFunction(() => analyzeInlineFunction);
      expect(analysis.verdict).toBe('closure');
      expect(analysis.freeNames[0]?.kind).toMatch(/^(compiled-import|captured)$/);
    });
  });

  describe('shadowed globals', () => {
    it('catches crypto used as the node:crypto namespace', () => {
      const analysis = analyzeInlineFunction(
        fromSource("(text) => crypto.createHash('sha256').update(text).digest('hex')"),
      );
      expect(analysis.freeNames).toEqual([
        {
          name: 'crypto',
          kind: 'shadowed-global',
          evidence: 'crypto.createHash',
          module: 'node:crypto',
        },
      ]);
      expect(analysis.reason).toMatch(
        /uses crypto\.createHash \(imported from node:crypto\?\).*const crypto = await import\('node:crypto'\).*module task/,
      );
    });

    it.each([
      ['awaited', 'async () => { await setTimeout(10); }', 'await setTimeout(…)'],
      ['chained', '() => setImmediate().then(() => 1)', 'setImmediate(…).then'],
      [
        'iterated',
        'async () => { for await (const tick of setInterval(10)) return tick; }',
        'for await (… of setInterval(…))',
      ],
    ])('catches a promise timer %s', (_label, source, evidence) => {
      const analysis = analyzeInlineFunction(fromSource(source));
      expect(analysis.freeNames).toEqual([
        expect.objectContaining({
          kind: 'shadowed-global',
          evidence,
          module: 'node:timers/promises',
        }),
      ]);
    });

    it('accepts the globals used as globals', () => {
      const analysis = analyzeInlineFunction(
        fromSource(
          '() => new Promise((resolve) => setTimeout(() => resolve(crypto.getRandomValues(new Uint8Array(4))), 1))',
        ),
      );
      expect(analysis.verdict).toBe('self-contained');
    });
  });

  describe('functions without usable source', () => {
    it('refuses a bound function', () => {
      const analysis = analyzeInlineFunction(
        function add(a: number) {
          return a;
        }.bind(null),
      );
      expect(analysis).toMatchObject({ verdict: 'no-source' });
      expect(analysis.reason).toMatch(/^a bound function \(add\) has no source/);
    });

    it('refuses a native function', () => {
      expect(analyzeInlineFunction(Math.max)).toMatchObject({
        verdict: 'no-source',
        reason: expect.stringMatching(/^a native function \(max\)/),
      });
    });

    it('refuses a method shorthand', () => {
      const holder = {
        run(n: number) {
          return n;
        },
      };
      expect(analyzeInlineFunction(holder.run)).toMatchObject({
        verdict: 'not-standalone',
        reason: expect.stringMatching(/^the source of function run does not compile on its own/),
      });
    });
  });

  it('analyses each function once', () => {
    const run = fromSource('(n) => n * factor');
    expect(analyzeInlineFunction(run)).toBe(analyzeInlineFunction(run));
  });
});
