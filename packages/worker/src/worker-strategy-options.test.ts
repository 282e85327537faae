import { SHARE_ENV } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { defaultMaxWorkers, workerStrategy } from './index.js';
import { workerCount } from './test-helpers.js';

type Options = Parameters<typeof workerStrategy>[0];

function attempt(options: unknown): unknown {
  try {
    workerStrategy(options as Options);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('workerStrategy options', () => {
  it('accepts no options, and good values, without starting a thread', async () => {
    const before = workerCount();
    const strategies = [
      workerStrategy(),
      workerStrategy({}),
      workerStrategy({
        maxWorkers: 3,
        spareWorkers: 0,
        graceMs: 0,
        resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 4 },
        execArgv: ['--enable-source-maps'],
        env: SHARE_ENV,
        idleTimeout: Infinity,
        maxQueue: Infinity,
      }),
      workerStrategy({
        graceMs: Infinity,
        idleTimeout: 2 ** 31,
        startTimeout: Infinity,
        exitTimeout: 2 ** 31,
        startAttempts: 1,
        logger: console,
      }),
      workerStrategy({ env: { A: 'b' }, maxQueue: 0, idleTimeout: 0 }),
    ];
    expect(workerCount()).toBe(before);
    await Promise.all(strategies.map((strategy) => strategy.close()));
  });

  it('defaults maxWorkers to the usable CPUs less one, at least 1', () => {
    expect(defaultMaxWorkers()).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['options', 'fast', TypeError, 'options must be an object'],
    [
      'maxWorkers',
      { maxWorkers: 'two' },
      TypeError,
      'option maxWorkers must be an integer from 1 to 1024, got "two"',
    ],
    [
      'maxWorkers',
      { maxWorkers: 0 },
      RangeError,
      'option maxWorkers must be an integer from 1 to 1024, got 0',
    ],
    [
      'maxWorkers',
      { maxWorkers: 1.5 },
      RangeError,
      'option maxWorkers must be an integer from 1 to 1024, got 1.5',
    ],
    [
      'maxWorkers',
      { maxWorkers: Infinity },
      RangeError,
      'option maxWorkers must be an integer from 1 to 1024, got Infinity',
    ],
    [
      'spareWorkers',
      { spareWorkers: '1' },
      TypeError,
      'option spareWorkers must be an integer from 0 to 64, got "1"',
    ],
    [
      'spareWorkers',
      { spareWorkers: -1 },
      RangeError,
      'option spareWorkers must be an integer from 0 to 64, got -1',
    ],
    [
      'graceMs',
      { graceMs: '100' },
      TypeError,
      'option graceMs must be a number of milliseconds, got "100"',
    ],
    [
      'graceMs',
      { graceMs: -1 },
      RangeError,
      'option graceMs must be a number of milliseconds of at least 0 (Infinity allowed), got -1',
    ],
    [
      'graceMs',
      { graceMs: Number.NaN },
      RangeError,
      'option graceMs must be a number of milliseconds of at least 0 (Infinity allowed), got NaN',
    ],
    [
      'maxWorkers',
      { maxWorkers: 1e9 },
      RangeError,
      'option maxWorkers must be an integer from 1 to 1024, got 1000000000',
    ],
    [
      'spareWorkers',
      { spareWorkers: 1e9 },
      RangeError,
      'option spareWorkers must be an integer from 0 to 64, got 1000000000',
    ],
    [
      'prefetch',
      { prefetch: 9 },
      RangeError,
      'option prefetch must be an integer from 0 to 8, got 9',
    ],
    [
      'prefetch',
      { prefetch: 1.5 },
      RangeError,
      'option prefetch must be an integer from 0 to 8, got 1.5',
    ],
    [
      'maxWorker (a typo)',
      { maxWorker: 4 },
      TypeError,
      'has no option "maxWorker"; the options are maxWorkers, spareWorkers, prefetch, resourceLimits, execArgv, env, graceMs, idleTimeout, maxQueue, startTimeout, startAttempts, exitTimeout, logger',
    ],
    [
      'startTimeout',
      { startTimeout: Number.NaN },
      RangeError,
      'option startTimeout must be a number of milliseconds of at least 0 (Infinity allowed), got NaN',
    ],
    [
      'logger',
      { logger: 'console' },
      TypeError,
      'option logger must have debug, info, warn and error methods',
    ],
    [
      'resourceLimits',
      { resourceLimits: { stackSizeMb: 0.2 } },
      RangeError,
      'option resourceLimits.stackSizeMb must be at least 1 megabyte (a smaller stack overflows while the thread starts, which ends the whole process), got 0.2',
    ],
    [
      'resourceLimits',
      { resourceLimits: 'big' },
      TypeError,
      'option resourceLimits must be an object',
    ],
    [
      'resourceLimits',
      { resourceLimits: { heapMb: 5 } },
      TypeError,
      'option resourceLimits has an unknown limit "heapMb"',
    ],
    [
      'resourceLimits',
      { resourceLimits: { maxOldGenerationSizeMb: '64' } },
      TypeError,
      'option resourceLimits.maxOldGenerationSizeMb must be a number of megabytes, got "64"',
    ],
    [
      'resourceLimits',
      { resourceLimits: { stackSizeMb: 0 } },
      RangeError,
      'option resourceLimits.stackSizeMb must be a positive number of megabytes, got 0',
    ],
    [
      'execArgv',
      { execArgv: '--inspect' },
      TypeError,
      'option execArgv must be an array of strings',
    ],
    ['execArgv', { execArgv: [1] }, TypeError, 'option execArgv must be an array of strings'],
    [
      'env',
      { env: 'production' },
      TypeError,
      'option env must be an object of strings or SHARE_ENV, got "production"',
    ],
    ['env', { env: { PORT: 80 } }, TypeError, 'option env.PORT must be a string, got 80'],
    [
      'idleTimeout',
      { idleTimeout: 'soon' },
      TypeError,
      'option idleTimeout must be a number of milliseconds, got "soon"',
    ],
    [
      'idleTimeout',
      { idleTimeout: -5 },
      RangeError,
      'option idleTimeout must be a number of milliseconds of at least 0 (Infinity allowed), got -5',
    ],
    [
      'maxQueue',
      { maxQueue: '10' },
      TypeError,
      'option maxQueue must be an integer of at least 0 or Infinity, got "10"',
    ],
    [
      'maxQueue',
      { maxQueue: -1 },
      RangeError,
      'option maxQueue must be an integer of at least 0 or Infinity, got -1',
    ],
    [
      'maxQueue',
      { maxQueue: 2.5 },
      RangeError,
      'option maxQueue must be an integer of at least 0 or Infinity, got 2.5',
    ],
  ])(
    'rejects a bad %s (%j) with a %s naming it and the value',
    (_name, options, ErrorClass, message) => {
      const error = attempt(options);
      expect(error).toBeInstanceOf(ErrorClass);
      expect((error as Error).message).toContain(`workerStrategy() ${message}`);
    },
  );
});
