// A module that calls process.exit(0) at import must not end every spare that preloads it:
// the one spare it ends is reported once, naming the module, which is never preloaded again.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defineTask,
  isTaskTimeoutError,
  type Logger,
  processStrategy,
  runTaskWithTimeout,
  timeboxChannels,
  workerStrategy,
} from '../index.js';
import { settled } from '../test-support/leftovers.js';
import { leftovers } from './process-table.js';

const exitsWhenAsked = defineTask<[string], string>({
  name: 'exits at import when asked',
  timeout: 10_000,
  run: {
    module: new URL('./fixtures/exits-at-import-when-asked.mjs', import.meta.url),
    export: 'echo',
  },
});
const faults = new URL('./fixtures/faults.mjs', import.meta.url);
const runaway = defineTask({
  name: 'runaway',
  timeout: 50,
  run: { module: faults, export: 'runaway' },
});
const echo = defineTask<[string], string>({
  name: 'innocent echo',
  timeout: 10_000,
  run: { module: faults, export: 'echo' },
});

const crashedBetweenTasks: unknown[] = [];
const recordCrash = (message: unknown): void => {
  if ((message as { task?: string }).task === undefined) crashedBetweenTasks.push(message);
};
subscribe(timeboxChannels.runnerCrashed, recordCrash);

afterAll(async () => {
  unsubscribe(timeboxChannels.runnerCrashed, recordCrash);
  delete process.env.TIMEBOX_TEST_EXIT_AT_IMPORT;
  expect(await leftovers()).toEqual({ handles: [], children: [] });
});

describe.each([
  [
    'worker',
    1,
    (logger: Logger) => workerStrategy({ maxWorkers: 1, spareWorkers: 1, graceMs: 0, logger }),
  ],
  [
    'process',
    1,
    (logger: Logger) =>
      processStrategy({
        maxProcesses: 1,
        spareProcesses: 1,
        graceMs: 0,
        killTimeoutMs: 300,
        logger,
      }),
  ],
] as const)('%s strategy', (_name, expectedSpareDeaths, create) => {
  it('a module that exits at import ends at most one spare, logged once naming it; later tasks run on warm spares', async () => {
    crashedBetweenTasks.length = 0;
    const warnings: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn: (message) => warnings.push(message),
      error: (message) => warnings.push(message),
    };
    const strategy = create(logger);
    try {
      expect(await runTaskWithTimeout(exitsWhenAsked, ['loaded'], { strategy })).toBe('loaded');
      // From now on the module exits as it is imported, in every runner started later.
      process.env.TIMEBOX_TEST_EXIT_AT_IMPORT = '1';
      for (let round = 0; round < 4; round++) {
        // Each kill puts the spare in the pool and starts a new spare, which preloads the
        // recent modules; no task is given to a spare before its preloads have loaded.
        const error = await runTaskWithTimeout(runaway, [], { strategy }).catch((caught) => caught);
        expect(isTaskTimeoutError(error), `round ${round}: ${String(error)}`).toBe(true);
        expect(await runTaskWithTimeout(echo, [`round ${round}`], { strategy })).toBe(
          `round ${round}`,
        );
      }
      const waiting = await settled(() =>
        crashedBetweenTasks.length >= expectedSpareDeaths ? [] : ['spare'],
      );
      expect(waiting, 'the spare that preloaded the module never ended').toEqual([]);
      expect(crashedBetweenTasks).toHaveLength(expectedSpareDeaths);
      const naming = warnings.filter((line) =>
        /while it preloaded file:.*exits-at-import-when-asked\.mjs \(export 'echo'\) of task 'exits at import when asked'/.test(
          line,
        ),
      );
      expect(naming, warnings.join('\n')).toHaveLength(expectedSpareDeaths);
    } finally {
      delete process.env.TIMEBOX_TEST_EXIT_AT_IMPORT;
      await strategy.close();
    }
  }, 60_000);
});
