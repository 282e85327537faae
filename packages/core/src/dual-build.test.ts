import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { TimeoutStrategy } from './index.js';

/**
 * The ESM and CommonJS builds loaded side by side in one process are two copies of the
 * package: their classes differ, so `instanceof` fails, but the `Symbol.for` brands and the
 * global task-context registry make the guards and `taskSignal()` agree.
 */
type Core = typeof import('./index.js') & typeof import('./strategy-kit.js');

const requireBuild = createRequire(import.meta.url);
const esm = {
  ...(await import('../dist/index.js')),
  ...(await import('../dist/strategy-kit.js')),
} as unknown as Core;
const commonJs = {
  ...requireBuild('../dist/index.cjs'),
  ...requireBuild('../dist/strategy-kit.cjs'),
} as Core;

function makeErrors(core: Core) {
  return {
    TaskTimeoutError: new core.TaskTimeoutError({
      taskName: 'copy',
      timeout: 10,
      elapsed: 11,
      strategy: 'thread',
      enforcement: 'soft',
    }),
    TaskCrashedError: new core.TaskCrashedError({
      taskName: 'copy',
      strategy: 'process',
      reason: 'exit',
      exitCode: 1,
    }),
    TaskSerializationError: new core.TaskSerializationError({
      taskName: 'copy',
      subject: 'argument',
      path: 'args[0]',
      reason: 'a function cannot be cloned',
    }),
    TaskAbortedError: new core.TaskAbortedError({
      taskName: 'copy',
      phase: 'before-start',
      cause: 'stop',
    }),
    TaskUnsupportedError: new core.TaskUnsupportedError({
      taskName: 'copy',
      strategy: 'worker',
      reason: 'closure',
    }),
  };
}

type ErrorName = keyof ReturnType<typeof makeErrors>;

function guardsOf(core: Core): Record<ErrorName, (value: unknown) => boolean> {
  return {
    TaskTimeoutError: core.isTaskTimeoutError,
    TaskCrashedError: core.isTaskCrashedError,
    TaskSerializationError: core.isTaskSerializationError,
    TaskAbortedError: core.isTaskAbortedError,
    TaskUnsupportedError: core.isTaskUnsupportedError,
  };
}

const copies = [
  ['ESM', esm, 'CommonJS', commonJs],
  ['CommonJS', commonJs, 'ESM', esm],
] as const;

describe('the ESM and CommonJS builds side by side', () => {
  it('are two distinct copies of the package', () => {
    expect(esm.TaskTimeoutError).not.toBe(commonJs.TaskTimeoutError);
    expect(esm.taskSignal).not.toBe(commonJs.taskSignal);
  });

  for (const [makerName, maker, checkerName, checker] of copies) {
    it(`recognise errors made by the ${makerName} build with the ${checkerName} guards, though instanceof fails`, () => {
      const errors = makeErrors(maker);
      const guards = guardsOf(checker);
      for (const [name, error] of Object.entries(errors) as Array<[ErrorName, Error]>) {
        expect(error.name).toBe(name);
        for (const [guardName, guard] of Object.entries(guards) as Array<
          [ErrorName, (value: unknown) => boolean]
        >) {
          expect(guard(error)).toBe(guardName === name);
        }
        const checkerClass = checker[name] as unknown as {
          new (...args: never[]): Error;
          isInstance(value: unknown): boolean;
        };
        expect(checkerClass.isInstance(error)).toBe(true);
        expect(error instanceof checkerClass).toBe(false);
        expect(error instanceof (maker[name] as unknown as new () => Error)).toBe(true);
        expect(checker.isTimeboxError(error)).toBe(true);
        expect(checker.TimeboxError.isInstance(error)).toBe(true);
        expect(error instanceof checker.TimeboxError).toBe(false);
      }
    });

    it(`recognise a task defined by the ${makerName} build with the ${checkerName} isTask`, () => {
      const task = maker.defineTask({ name: 'shared', timeout: 5, run: () => 1 });
      expect(checker.isTask(task)).toBe(true);
      expect(checker.isTask({ ...task })).toBe(false);
    });

    it(`let the ${checkerName} taskSignal() see a task context set by the ${makerName} build`, () => {
      const context = new maker.TaskContext('shared context');
      const signal = maker.runInTaskContext(context, () => checker.taskSignal());
      expect(signal).toBe(context.signal);
      expect(checker.currentTaskContext()).toBeUndefined();
      expect(() => checker.taskSignal()).toThrow(/outside a running task/);

      maker.setCurrentTaskContext(context);
      try {
        expect(checker.currentTaskContext()).toBe(context);
        expect(checker.taskSignal()).toBe(signal);
      } finally {
        maker.setCurrentTaskContext(undefined);
      }
      expect(checker.currentTaskContext()).toBeUndefined();
    });

    it(`let the ${checkerName} taskSignal() use a lookup added through the ${makerName} build`, () => {
      const context = new maker.TaskContext('looked up');
      const remove = maker.addTaskContextLookup(() => context);
      try {
        expect(checker.taskSignal()).toBe(context.signal);
      } finally {
        remove();
      }
      expect(() => checker.taskSignal()).toThrow(/outside a running task/);
    });
  }

  it('run a no-limit task defined by one copy through the other copy, with taskSignal() from a third', async () => {
    const source = await import('./index.js');
    const task = commonJs.defineTask({
      name: 'three copies',
      run: () => source.taskSignal().aborted,
    });
    const strategy: TimeoutStrategy = {
      name: 'unused',
      enforcement: 'soft',
      supports: () => ({ supported: true }),
      run: () => Promise.reject(new Error('not called')),
      close: async () => {},
    };
    await expect(esm.runTaskWithTimeout(task, [], { strategy })).resolves.toBe(false);
  });
});
