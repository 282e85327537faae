import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * TypeScript task modules, run by a host app in its own process (typescript-host.mjs):
 * under tsx, a `.ts` module runs in worker threads and child processes; without a
 * TypeScript loader, each strategy rejects it before anything runs, saying what to do.
 * The host closes its strategies and must exit by itself; `execFile`'s timeout kills it
 * otherwise, and fails the test.
 */
const run = promisify(execFile);
const host = fileURLToPath(new URL('./typescript-host.mjs', import.meta.url));
const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const tsxCommandLine = fileURLToPath(import.meta.resolve('tsx/cli'));

interface Outcome {
  readonly value?: unknown;
  readonly error?: { readonly name: string; readonly reason?: string; readonly message: string };
}
type StrategyReport = {
  readonly support: { readonly supported: boolean; readonly reason?: string };
  readonly double: Outcome;
  readonly spin: Outcome;
};
interface HostReport {
  readonly worker: StrategyReport;
  readonly process: StrategyReport;
  readonly processWithoutHostOptions: StrategyReport;
  readonly timebox: { readonly choice: string; readonly double: Outcome };
}

/** Runs the host with `node` and the given arguments before the host script. */
async function runHost(nodeArguments: readonly string[]): Promise<HostReport> {
  const environment = { ...process.env };
  delete environment.NODE_OPTIONS;
  const { stdout } = await run(process.execPath, [...nodeArguments, host], {
    cwd: packageDirectory,
    env: environment,
    timeout: 30_000,
  });
  return JSON.parse(stdout) as HostReport;
}

describe('TypeScript task modules', () => {
  it.each([
    { how: 'node --import tsx app', nodeArguments: ['--import', 'tsx'] },
    { how: 'tsx app', nodeArguments: [tsxCommandLine] },
  ])(
    'run in worker threads and child processes when the host runs as $how',
    async ({ nodeArguments }) => {
      const report = await runHost(nodeArguments);
      for (const strategy of ['worker', 'process', 'processWithoutHostOptions'] as const) {
        expect(report[strategy].support, strategy).toEqual({ supported: true });
        expect(report[strategy].double, strategy).toEqual({ value: 42 });
        expect(report[strategy].spin.error?.name, strategy).toBe('TaskTimeoutError');
      }
      expect(report.timebox).toEqual({ choice: 'worker', double: { value: 42 } });
    },
    40_000,
  );

  it('are refused with a TaskModuleLoadError saying what to do when the host has no TypeScript loader', async () => {
    const report = await runHost([]);
    for (const strategy of ['worker', 'process', 'processWithoutHostOptions'] as const) {
      const { support, double, spin } = report[strategy];
      // The strategy can run module tasks: what is missing is the host's, for every strategy.
      expect(support, strategy).toEqual({ supported: true });
      expect(double.error, strategy).toMatchObject({
        name: 'TaskModuleLoadError',
        reason: 'unsupported',
      });
      expect(double.error?.message, strategy).toMatch(
        /^Task 'double': could not load the export 'double' of file:.*typescript-tasks\.ts: .*node --import tsx.*type stripping.*compiled \.js/,
      );
      expect(spin.error?.name, strategy).toBe('TaskModuleLoadError');
    }
    expect(report.timebox.double.error).toMatchObject({
      name: 'TaskModuleLoadError',
      reason: 'unsupported',
    });
  }, 40_000);
});
