import type { Worker } from 'bullmq';
import { createTimebox, defineTask, threadStrategy } from 'timebox';
import { describe, expect, it } from 'vitest';
import { timeboxProcessor } from './timebox-processor.js';
import type { TimeboxProcessorOptions } from './timebox-processor-options.js';

const task = defineTask({ name: 'add', timeout: 1_000, run: (a: number, b: number) => a + b });

/** Calls the factory with options the types would refuse. */
function withOptions(options: unknown) {
  return () => timeboxProcessor(task, options as TimeboxProcessorOptions<number, [number, number]>);
}

describe('timeboxProcessor options', () => {
  it('rejects options that are not an object', () => {
    expect(withOptions(5)).toThrow(
      new TypeError('timeboxProcessor() options must be an object, got 5'),
    );
  });

  it('rejects an unknown option, listing the options', () => {
    expect(withOptions({ timout: 5 })).toThrow(
      /^timeboxProcessor\(\) has no option "timout"; the options are strategy, timebox, worker/,
    );
  });

  it('rejects a task that is not a task', () => {
    expect(() => timeboxProcessor('add' as never)).toThrow(
      new TypeError(
        'timeboxProcessor() expects a task made by defineTask(), or a function from the job to a task, got "add"',
      ),
    );
  });

  it('rejects a task without a time limit when no option gives one', () => {
    const unlimited = defineTask({ name: 'unlimited', run: () => 1 });
    expect(() => timeboxProcessor(unlimited)).toThrow(RangeError);
    expect(() => timeboxProcessor(unlimited)).toThrow(/task 'unlimited' has no time limit/);
    expect(() => timeboxProcessor(unlimited, { timeout: 10 })).not.toThrow();
    expect(() => timeboxProcessor(unlimited, { jobTimeout: () => 10 })).not.toThrow();
  });

  it('rejects a timebox option that is not a timebox', () => {
    expect(withOptions({ timebox: {} })).toThrow(
      new TypeError(
        'timeboxProcessor() option timebox must be a timebox made by createTimebox(), got a plain object',
      ),
    );
  });

  it('rejects a timebox without a hard strategy', () => {
    const softOnly = createTimebox({ worker: false, process: false });
    expect(withOptions({ timebox: softOnly })).toThrow(
      /^timeboxProcessor\(\) option timebox has no hard strategy/,
    );
  });

  for (const name of ['worker', 'process', 'selector'] as const) {
    it(`rejects option ${name} together with option timebox`, () => {
      const timebox = createTimebox();
      expect(withOptions({ timebox, [name]: {} })).toThrow(
        new RegExp(`^timeboxProcessor\\(\\) option ${name} configures the processor's own timebox`),
      );
    });
  }

  for (const name of ['worker', 'process'] as const) {
    it(`rejects a ${name} option that is neither options nor false`, () => {
      expect(withOptions({ [name]: 'fast' })).toThrow(
        new TypeError(
          `timeboxProcessor() option ${name} must be the ${name} strategy's options object, or false to leave it out, got "fast"`,
        ),
      );
    });
  }

  it('rejects leaving out both hard strategies', () => {
    expect(withOptions({ worker: false, process: false })).toThrow(
      /^timeboxProcessor\(\) options worker and process are both false/,
    );
  });

  it('rejects a strategy name that is not a hard strategy', () => {
    expect(withOptions({ strategy: 'thread' })).toThrow(
      new TypeError(
        `timeboxProcessor() option strategy must be 'worker', 'process' or a hard TimeoutStrategy, got "thread"`,
      ),
    );
  });

  it('rejects a soft strategy', () => {
    expect(withOptions({ strategy: threadStrategy() })).toThrow(
      /^timeboxProcessor\(\) option strategy must be a hard strategy: the thread strategy is soft/,
    );
  });

  it('rejects a strategy name whose strategy is left out', () => {
    expect(withOptions({ strategy: 'process', process: false })).toThrow(
      new TypeError(
        `timeboxProcessor() option strategy is 'process', but the option process is false`,
      ),
    );
    const workerOnly = createTimebox({ process: false });
    expect(withOptions({ strategy: 'process', timebox: workerOnly })).toThrow(
      new TypeError(
        `timeboxProcessor() option strategy is 'process', but the timebox has no process strategy`,
      ),
    );
  });

  it('rejects a selector that is not one', () => {
    expect(withOptions({ selector: () => 'worker' })).toThrow(
      new TypeError(
        'timeboxProcessor() option selector must be a selector made by createSelector(), got function selector',
      ),
    );
  });

  it('rejects a timeout that is not a number', () => {
    expect(withOptions({ timeout: '5s' })).toThrow(
      new TypeError('timeboxProcessor() option timeout must be a number of milliseconds, got "5s"'),
    );
  });

  for (const value of [-1, Number.NaN, Infinity]) {
    it(`rejects the timeout ${value}`, () => {
      expect(withOptions({ timeout: value })).toThrow(
        new RangeError(
          `timeboxProcessor() option timeout must be a finite number of milliseconds of at least 0, got ${value}`,
        ),
      );
    });
  }

  for (const name of ['jobTimeout', 'args'] as const) {
    it(`rejects a ${name} option that is not a function`, () => {
      expect(withOptions({ [name]: 5 })).toThrow(
        new RegExp(`^timeboxProcessor\\(\\) option ${name} must be a function of the job`),
      );
    });
  }

  it('rejects an unrecoverable option that is not an array', () => {
    expect(withOptions({ unrecoverable: 'timeout' })).toThrow(
      new TypeError(
        `timeboxProcessor() option unrecoverable must be an array of 'timeout', 'abort', 'crash', got "timeout"`,
      ),
    );
  });

  it('rejects an unknown kind of failure in unrecoverable', () => {
    expect(withOptions({ unrecoverable: ['timeout', 'stall'] })).toThrow(
      new TypeError(
        `timeboxProcessor() option unrecoverable[1] must be 'timeout', 'abort', 'crash', got "stall"`,
      ),
    );
  });

  it('rejects a logger without the log methods', () => {
    expect(withOptions({ logger: { info() {} } })).toThrow(TypeError);
  });

  it('rejects closeWith() of something that is not a worker', () => {
    const processor = timeboxProcessor(task);
    expect(() => processor.closeWith({} as Worker)).toThrow(
      new TypeError(
        "closeWith() expects a BullMQ Worker (anything with once('closed', listener)), got a plain object",
      ),
    );
  });

  it('starts nothing until a job runs', () => {
    const processor = timeboxProcessor(task, { strategy: 'process' });
    expect(processor.timebox.strategies.map((strategy) => strategy.started)).toEqual([
      false,
      false,
    ]);
  });
});
