import { defineTask } from '@timebox/core';
import { describe, expect, it } from 'vitest';
import { webWorkerStrategy } from './index.js';
import { resolveWebWorkerStrategyOptions } from './web-worker-strategy-options.js';

describe('webWorkerStrategy options', () => {
  it('applies the defaults', () => {
    expect(resolveWebWorkerStrategyOptions(undefined)).toMatchObject({
      spareWorkers: 1,
      graceMs: 100,
      maxQueue: Infinity,
      maxZombieWorkers: 2,
      workerUrl: undefined,
      idleTimeout: 30_000,
      startTimeout: 15_000,
      startAttempts: 3,
    });
    expect(resolveWebWorkerStrategyOptions({}).maxWorkers).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [{ maxWorkers: 0 }, RangeError, 'option maxWorkers must be an integer from 1 to 1024, got 0'],
    [{ maxWorkers: 1025 }, RangeError, 'option maxWorkers must be an integer from 1 to 1024'],
    [{ maxWorkers: '2' }, TypeError, 'option maxWorkers must be an integer from 1 to 1024'],
    [{ spareWorkers: 1.5 }, RangeError, 'option spareWorkers must be an integer from 0 to 64'],
    [{ graceMs: -1 }, RangeError, 'option graceMs must be a number of milliseconds of at least 0'],
    [{ graceMs: Number.NaN }, RangeError, 'option graceMs must be a number of milliseconds'],
    [{ maxQueue: -1 }, RangeError, 'option maxQueue must be an integer of at least 0 or Infinity'],
    [
      { maxZombieWorkers: 0 },
      RangeError,
      'option maxZombieWorkers must be an integer of at least 1',
    ],
    [{ idleTimeout: -5 }, RangeError, 'option idleTimeout must be a number of milliseconds'],
    [{ startAttempts: 0 }, RangeError, 'option startAttempts must be an integer from 1 to 100'],
    [{ logger: {} }, TypeError, 'option logger must have debug, info, warn and error methods'],
    [{ workerUrl: 42 }, TypeError, 'option workerUrl must be a URL or a non-empty string, got 42'],
    [{ workerUrl: '' }, TypeError, 'option workerUrl must be a URL or a non-empty string'],
    [{ maxWorker: 2 }, TypeError, 'has no option "maxWorker"; the options are maxWorkers'],
  ])('refuses %o with a %o naming the option and value', (options, errorClass, message) => {
    expect(() => webWorkerStrategy(options as never)).toThrow(errorClass);
    expect(() => webWorkerStrategy(options as never)).toThrow(message);
  });

  it('refuses options that are not an object', () => {
    expect(() => webWorkerStrategy(3 as never)).toThrow(
      'webWorkerStrategy() options must be an object, got 3',
    );
  });
});

describe('webWorkerStrategy supports()', () => {
  const strategy = webWorkerStrategy();

  it('accepts self-contained functions and modules by http(s):, blob: and data: URL', () => {
    for (const module of [
      new URL('/tasks.js', location.href),
      'https://example.com/task.js',
      'blob:https://example.com/0b4c',
      'data:text/javascript,export default () => 1',
    ]) {
      expect(strategy.supports(defineTask({ name: 'module', run: { module } }))).toEqual({
        supported: true,
      });
    }
    expect(strategy.supports(defineTask({ name: 'inline', run: () => 1 }))).toEqual({
      supported: true,
    });
  });

  it('says why it refuses a bare name, a page path and an unknown scheme', () => {
    const reasons = ['lodash', '/tasks/task.js', 'ftp://host/task.js'].map((module) =>
      strategy.supports(defineTask({ name: 'module', run: { module } })),
    );
    expect(reasons[0]).toMatchObject({ supported: false });
    expect(JSON.stringify(reasons[0])).toContain("workers do not inherit the page's import map");
    expect(JSON.stringify(reasons[1])).toContain('pass a full URL such as new URL(');
    expect(JSON.stringify(reasons[2])).toContain('its scheme ftp: is none of http:, https:');
  });

  it('refuses a bound function and a context without web workers', () => {
    const bound = function add(left: number, right: number) {
      return left + right;
    }.bind(null);
    expect(strategy.supports(defineTask({ name: 'bound', run: bound }))).toMatchObject({
      supported: false,
    });
    expect(
      strategy.supports(defineTask({ name: 'inline', run: () => 1 }), {
        webWorkersAvailable: false,
      }),
    ).toMatchObject({ supported: false, reason: expect.stringContaining('webWorkersAvailable') });
  });

  it('rejects run() of a module it does not support with a TypeError naming the task', async () => {
    const task = defineTask({ name: 'bare', timeout: 1_000, run: { module: 'lodash' } });
    await expect(strategy.run(task, [], { timeout: 1_000, logger: console })).rejects.toThrow(
      new TypeError(
        `Task 'bare': a web worker cannot import module "lodash": workers do not inherit the page's import map or base URL; pass a full URL such as new URL("lodash", import.meta.url)`,
      ),
    );
    await strategy.close();
  });
});
