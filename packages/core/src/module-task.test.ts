import { describe, expect, expectTypeOf, it } from 'vitest';
import { type FunctionExportName, moduleTask } from './module-task.js';
import { runTaskWithTimeout } from './run-task-with-timeout.js';
import type { TimeoutStrategy } from './strategy.js';
import type { Task } from './task.js';
import type * as TypedNamedTasks from './test-fixtures/typed-named-tasks.js';
import type * as TypedTasks from './test-fixtures/typed-tasks.js';

const typedTasks = new URL('./test-fixtures/typed-tasks.ts', import.meta.url);
const typedNamedTasks = new URL('./test-fixtures/typed-named-tasks.ts', import.meta.url);

/** Never asked to run: tasks without a time limit run directly on the calling thread. */
const unusedStrategy: TimeoutStrategy = {
  name: 'unused',
  enforcement: 'soft',
  supports: () => ({ supported: true }),
  run: () => Promise.reject(new Error('not used')),
  close: async () => {},
};

describe('moduleTask', () => {
  it('types a named export from the module: its arguments and result', () => {
    const hash = moduleTask<typeof TypedTasks>()({
      name: 'hash',
      timeout: 1_000,
      run: { module: typedTasks, export: 'hash' },
    });
    expectTypeOf(hash).toEqualTypeOf<Task<[text: string, rounds?: number], string>>();
    expect(hash).toMatchObject({ name: 'hash', run: { module: typedTasks, export: 'hash' } });
  });

  it('types the default export when export is left out, unwrapping its promise', () => {
    const double = moduleTask<typeof import('./test-fixtures/typed-tasks.js')>()({
      name: 'double',
      run: { module: typedTasks },
    });
    expectTypeOf(double).toEqualTypeOf<Task<[value: number], number>>();
    expect(double.run).toEqual({ module: typedTasks });
  });

  it('lists only the function exports as names', () => {
    expectTypeOf<FunctionExportName<typeof TypedTasks>>().toEqualTypeOf<'default' | 'hash'>();
  });

  it('refuses, at compile time, an unknown export, a non-function export, a missing default and wrong arguments', () => {
    const typed = moduleTask<typeof TypedTasks>();
    // @ts-expect-error 'nope' is not an export of the module
    typed({ name: 'nope', run: { module: typedTasks, export: 'nope' } });
    // @ts-expect-error notAFunction is not a function
    typed({ name: 'not a function', run: { module: typedTasks, export: 'notAFunction' } });
    // @ts-expect-error the module has no default export, so export must be given
    moduleTask<typeof TypedNamedTasks>()({ name: 'no default', run: { module: typedNamedTasks } });
    const add = moduleTask<typeof TypedNamedTasks>()({
      name: 'add',
      run: { module: typedNamedTasks, export: 'add' },
    });
    const strategy = unusedStrategy;
    // @ts-expect-error add takes two numbers
    expect(() => runTaskWithTimeout(add, ['1', 2], { strategy })).toBeDefined();
    expectTypeOf(runTaskWithTimeout(add, [1, 2], { strategy })).toEqualTypeOf<Promise<number>>();
  });

  it('makes a task that runs the export it names', async () => {
    const add = moduleTask<typeof TypedNamedTasks>()({
      name: 'add',
      run: { module: typedNamedTasks, export: 'add' },
    });
    await expect(runTaskWithTimeout(add, [40, 2], { strategy: unusedStrategy })).resolves.toBe(42);
  });

  it('checks the definition as defineTask does', () => {
    expect(() =>
      moduleTask<typeof TypedNamedTasks>()({
        name: '',
        run: { module: typedNamedTasks, export: 'add' },
      }),
    ).toThrow(TypeError);
  });
});
