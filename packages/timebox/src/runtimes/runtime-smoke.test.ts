import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProgram, smokeRuntimes } from './runtime-programs.js';

/**
 * The smoke matrix: each strategy and the auto-selecting `timebox`, run by a program under
 * Node, Bun and Deno (fixtures/smoke.mjs); `@timebox/web-worker` under Bun and Deno, which
 * have a global Worker. Each program runs a normal task, one that throws
 * an error with fields, a runaway loop (hard strategies only), a cooperative task whose
 * signal must reach it at the deadline and a TypeScript module task, then closes its strategy and must end on its own.
 */
const program = fileURLToPath(new URL('./fixtures/smoke.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'timebox-smoke-'));
const strategies = ['thread', 'worker', 'process', 'timebox', 'web-worker'] as const;

/** Where a runtime cannot stop a busy thread, the thread strategies must say so instead. */
function threadsStoppable(runtime: string): boolean {
  return runtime !== 'deno';
}

/** Strategies that run their tasks on threads (worker_threads or Web Workers). */
const threadBacked = new Set<string>(['worker', 'web-worker']);

/** Node has no global Worker: the web-worker strategy runs under Bun and Deno only. */
function strategiesUnder(runtime: string): readonly (typeof strategies)[number][] {
  return runtime === 'node' ? strategies.filter((name) => name !== 'web-worker') : strategies;
}

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe.each(smokeRuntimes())('under $name', (runtime) => {
  it.each(strategiesUnder(runtime.name))(
    '%s: results, errors, runaways and signals as on Node',
    async (strategy) => {
      const marker = join(scratch, `${runtime.name}-${strategy}.marker`);
      const run = await runProgram(runtime, program, [strategy, marker], 60_000);
      const context = `${runtime.name} ${strategy}; stderr:\n${run.stderr}`;

      expect(run.cases.get('normal'), context).toMatchObject({ value: 5 });
      expect(run.cases.get('error'), context).toMatchObject({
        name: 'InventoryError',
        message: 'out of stock',
        code: 'E_STOCK',
        sku: 'A-17',
        cause: 'warehouse closed',
        stack: true,
      });
      if (strategy !== 'thread') {
        const runaway = run.cases.get('runaway');
        expect(runaway, context).toMatchObject({ name: 'TaskTimeoutError', enforcement: 'hard' });
        const stoppable = !threadBacked.has(strategy) || threadsStoppable(runtime.name);
        if (!stoppable) expect(runaway?.stillRunning, context).toBe(true);
        if (strategy === 'web-worker') expect(runaway?.stillRunning, context).toBe(!stoppable);
      }
      expect(run.cases.get('cooperative'), context).toMatchObject({ name: 'TaskTimeoutError' });
      expect(readFileSync(marker, 'utf8'), `${context}\nthe task's signal never aborted`).toBe(
        'TaskTimeoutError',
      );
      // Bun, Deno and a Node with type stripping load a .ts task module as it is; Node 20
      // without a loader rejects it before it starts, with the error that says what to do.
      const typeScript = run.cases.get('typescript');
      if (runtime.name !== 'node' || (process.features as { typescript?: unknown }).typescript) {
        expect(typeScript, context).toMatchObject({ value: 42 });
      } else {
        expect(typeScript, context).toMatchObject({ name: 'TaskModuleLoadError' });
        expect(typeScript?.message, context).toMatch(/node --import tsx/);
      }
      expect(run.cases.has('closed'), context).toBe(true);
      expect(run.stderr, context).not.toMatch(/NotImplementedError|not yet implemented/);
      expect(run.killed, context).toBe(false);
      // A Web Worker that Deno cannot stop keeps the program alive; an unreferenced
      // worker_threads worker that Deno cannot stop does not hold the program open.
      const keptAlive = run.cases.has('kept-alive-after-close');
      expect(keptAlive, context).toBe(strategy === 'web-worker' && !threadsStoppable(runtime.name));
    },
  );
});
