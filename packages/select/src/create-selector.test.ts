import { defineTask } from '@timebox/core';
import { describe, expect, it } from 'vitest';
import { createSelector } from './create-selector.js';
import { defineRule } from './define-rule.js';
import { defaultRules } from './rules/default-rules.js';
import { noTimeLimitRule } from './rules/no-time-limit-rule.js';
import { isStrategySelectionError } from './strategy-selection-error.js';
import { fakeStrategies, nodeContext, recordingLogger } from './test-support/fake-strategy.js';

// The two examples of the README, verbatim.
const processOnWindowsCi = defineRule('process-on-windows-ci', (task, context) =>
  context.platform === 'win32' && context.ci === true
    ? {
        strategy: 'process',
        reason: `task '${task.name}' runs in a child process: on Windows CI every task does, so that one that hangs is killed with every program it started`,
      }
    : undefined,
);

const softForCooperative = defineRule('soft-for-cooperative', (task) =>
  task.tags.includes('cooperative')
    ? {
        strategy: 'thread',
        reason: `task '${task.name}' is tagged cooperative: it stops itself when taskSignal() aborts, so a soft timeout is enough and it skips a worker's start-up`,
      }
    : undefined,
);

const selector = createSelector([
  noTimeLimitRule,
  processOnWindowsCi,
  softForCooperative,
  ...defaultRules,
]);

const moduleTask = defineTask({ name: 'build', timeout: 5_000, run: { module: '/ci/build.mjs' } });
const cooperativeTask = defineTask({
  name: 'poll',
  timeout: 5_000,
  tags: ['cooperative'],
  run: async () => 'done',
});
const windowsCi = nodeContext({ platform: 'win32', ci: true });

describe('createSelector', () => {
  describe('example: always process on Windows CI', () => {
    it('runs every timed task in a child process on Windows CI', () => {
      const { all, process } = fakeStrategies();
      const selection = selector.select(moduleTask, { strategies: all, context: windowsCi });
      expect(selection.strategy).toBe(process);
      expect(selection).toMatchObject({
        rule: 'process-on-windows-ci',
        reason:
          "task 'build' runs in a child process: on Windows CI every task does, so that one that hangs is killed with every program it started",
      });
      expect(selection.passedOver.map((entry) => entry.reason)).toEqual([
        "not considered: rule 'process-on-windows-ci' chose the process strategy first",
        "not considered: rule 'process-on-windows-ci' chose the process strategy first",
      ]);
    });

    it('leaves Windows outside CI, and Linux CI, to the defaults', () => {
      const { all } = fakeStrategies();
      const windows = nodeContext({ platform: 'win32', ci: false });
      const linuxCi = nodeContext({ platform: 'linux', ci: true });
      expect(selector.select(moduleTask, { strategies: all, context: windows }).name).toBe(
        'worker',
      );
      expect(selector.select(moduleTask, { strategies: all, context: linuxCi }).name).toBe(
        'worker',
      );
    });

    it('still runs a task without a time limit directly (noTimeLimitRule comes first)', () => {
      const { all } = fakeStrategies();
      const unlimited = defineTask({ name: 'setup', run: { module: '/ci/setup.mjs' } });
      expect(selector.select(unlimited, { strategies: all, context: windowsCi }).name).toBe(
        'direct',
      );
    });

    it('falls through to the defaults when the process strategy refuses the task', () => {
      const { all } = fakeStrategies();
      const { logger } = recordingLogger();
      const closure = defineTask({ name: 'bound', timeout: 100, run: Math.min.bind(Math) });
      const selection = selector.select(closure, { strategies: all, context: windowsCi, logger });
      expect(selection).toMatchObject({ name: 'thread', rule: 'soft-fallback' });
    });
  });

  describe('example: soft for tasks tagged cooperative', () => {
    it('runs a cooperative task on the calling thread, without a warning', () => {
      const { all, thread } = fakeStrategies();
      const { logger, warnings } = recordingLogger();
      const selection = selector.select(cooperativeTask, {
        strategies: all,
        context: nodeContext(),
        logger,
      });
      expect(selection.strategy).toBe(thread);
      expect(selection).toMatchObject({ rule: 'soft-for-cooperative', enforcement: 'soft' });
      expect(selection.warning).toBeUndefined();
      expect(warnings).toEqual([]);
    });

    it('leaves untagged tasks to the defaults', () => {
      const { all } = fakeStrategies();
      const untagged = defineTask({ name: 'crunch', timeout: 5_000, run: async () => 1 });
      expect(selector.select(untagged, { strategies: all, context: nodeContext() }).name).toBe(
        'worker',
      );
    });
  });

  describe('composition', () => {
    it('uses only the given rules when the defaults are left out', () => {
      const { all } = fakeStrategies();
      const onlyCooperative = createSelector([softForCooperative]);
      expect(
        onlyCooperative.select(cooperativeTask, { strategies: all, context: nodeContext() }).name,
      ).toBe('thread');
      let thrown: unknown;
      try {
        onlyCooperative.select(moduleTask, { strategies: all, context: nodeContext() });
      } catch (error) {
        thrown = error;
      }
      expect(isStrategySelectionError(thrown)).toBe(true);
      expect((thrown as Error).message).toBe(
        "No strategy can run task 'build' (worker and process and thread: no rule chose it)",
      );
    });

    it('passes over a strategy that is not a candidate and asks the next rule', () => {
      const { worker, thread } = fakeStrategies();
      const selection = selector.select(moduleTask, {
        strategies: [worker, thread],
        context: windowsCi,
      });
      expect(selection.name).toBe('worker');
      expect(selection.passedOver).toContainEqual({
        name: 'process',
        reason: 'not among the candidate strategies',
      });
    });

    it('keeps the reasons a rule records with passOver()', () => {
      const { all } = fakeStrategies();
      const noWorkersAtNight = defineRule('no-workers-at-night', (_task, _context, situation) => {
        situation.passOver('worker', 'the worker pool is reserved at night');
        return undefined;
      });
      const selection = createSelector([noWorkersAtNight, ...defaultRules]).select(moduleTask, {
        strategies: all,
        context: nodeContext(),
      });
      expect(selection).toMatchObject({ name: 'process', rule: 'child-process' });
      expect(selection.reason).toContain('(no worker: the worker pool is reserved at night)');
      expect(selection.passedOver[0]).toEqual({
        name: 'worker',
        strategy: all[0],
        reason: 'the worker pool is reserved at night',
      });
    });

    it('asks a rule listed twice once, at its first place', () => {
      expect(createSelector([noTimeLimitRule, ...defaultRules]).rules).toEqual(defaultRules);
    });

    it('rejects a rule that runs a timed task directly', () => {
      const { all } = fakeStrategies();
      const direct = defineRule('always-direct', () => ({ strategy: 'direct', reason: 'fast' }));
      expect(() =>
        createSelector([direct]).select(moduleTask, { strategies: all, context: nodeContext() }),
      ).toThrow(
        new TypeError(
          "Task 'build': rule 'always-direct' chose to run it directly, but it has a time limit of 5000 ms, which a direct run would not enforce",
        ),
      );
    });

    it('rejects a rule that returns something other than a decision', () => {
      const { all } = fakeStrategies();
      const sloppy = defineRule('sloppy', () => 'worker' as never);
      expect(() =>
        createSelector([sloppy]).select(moduleTask, { strategies: all, context: nodeContext() }),
      ).toThrow(
        new TypeError(
          `Task 'build': rule 'sloppy' must return { strategy, reason, warning? } with strings, or undefined to pass, got "worker"`,
        ),
      );
    });

    it('rejects passOver() with a reason that is not a string', () => {
      const { all } = fakeStrategies();
      const sloppy = defineRule('sloppy', (_task, _context, situation) => {
        situation.passOver('worker', 42 as never);
        return undefined;
      });
      expect(() =>
        createSelector([sloppy]).select(moduleTask, { strategies: all, context: nodeContext() }),
      ).toThrow(
        new TypeError(
          `Task 'build': passOver(name, reason) expects two strings, got "worker" and 42`,
        ),
      );
    });
  });

  describe('bad arguments', () => {
    it('rejects rules that are not an array', () => {
      expect(() => createSelector(softForCooperative as never)).toThrow(
        new TypeError(
          'createSelector() expects an array of rules such as [myRule, ...defaultRules], got a plain object',
        ),
      );
    });

    it('rejects a rule without a name or select, naming its index', () => {
      expect(() => createSelector([softForCooperative, (() => undefined) as never])).toThrow(
        new TypeError(
          'createSelector() rules[1] must be a rule { name, select } (see defineRule), got an anonymous function',
        ),
      );
    });

    it('defineRule rejects an empty name', () => {
      expect(() => defineRule(' ', () => undefined)).toThrow(
        new TypeError('defineRule() name must be a non-empty string, got " "'),
      );
    });

    it('defineRule rejects a select that is not a function', () => {
      expect(() => defineRule('broken', 'worker' as never)).toThrow(
        new TypeError(
          `defineRule('broken') select must be a function (task, context, situation) => decision or undefined, got "worker"`,
        ),
      );
    });
  });
});
