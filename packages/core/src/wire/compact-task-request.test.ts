import { describe, expect, it } from 'vitest';
import { defineTask } from '../task.js';
import {
  type CompactTaskRequest,
  maximumTaskDefinitions,
  TaskDefinitions,
  TaskRequestCompactor,
} from './compact-task-request.js';
import { createTaskRequest } from './create-task-request.js';
import type { TaskRequest } from './task-request.js';

/** What crosses to the other side: a structured clone, as `postMessage` makes it. */
function across(
  compactor: TaskRequestCompactor,
  definitions: TaskDefinitions,
  request: TaskRequest,
): { sent: TaskRequest | CompactTaskRequest; received: TaskRequest } {
  const sent = structuredClone(compactor.compact(request));
  return { sent, received: definitions.expand(sent) };
}

describe('the compact form of task requests', () => {
  const add = defineTask({ name: 'add', run: (left: number, right: number) => left + right });

  it('sends a task whole once, with a definition id, then as [id, args] and [id, args, timeout]', () => {
    const compactor = new TaskRequestCompactor();
    const definitions = new TaskDefinitions();
    const first = across(compactor, definitions, createTaskRequest(add, [1, 2]));
    expect(first.sent).toEqual({ ...createTaskRequest(add, [1, 2]), definitionId: 1 });
    const second = across(compactor, definitions, createTaskRequest(add, [3, 4]));
    expect(second.sent).toEqual([1, [3, 4]]);
    expect(second.received).toEqual(createTaskRequest(add, [3, 4]));
    const limited = across(compactor, definitions, createTaskRequest(add, [5, 6], 'thread', 250));
    expect(limited.sent).toEqual([1, [5, 6], 250]);
    expect(limited.received).toEqual(createTaskRequest(add, [5, 6], 'thread', 250));
  });

  it('gives each task its own id, and a module task the same one on every call', () => {
    const compactor = new TaskRequestCompactor();
    const definitions = new TaskDefinitions();
    const resize = defineTask({ name: 'resize', run: { module: '/srv/tasks/resize.js' } });
    across(compactor, definitions, createTaskRequest(add, [1, 2]));
    expect(across(compactor, definitions, createTaskRequest(resize, [])).sent).toMatchObject({
      definitionId: 2,
    });
    const again = across(compactor, definitions, createTaskRequest(resize, [7]));
    expect(again.sent).toEqual([2, [7]]);
    expect(again.received).toEqual(createTaskRequest(resize, [7]));
  });

  it('sends a module task whole again after its URL was changed in place', () => {
    const compactor = new TaskRequestCompactor();
    const definitions = new TaskDefinitions();
    const module = new URL('file:///srv/tasks/a.mjs');
    const task = defineTask({ name: 'moves', run: { module } });
    across(compactor, definitions, createTaskRequest(task, []));
    module.pathname = '/srv/tasks/b.mjs';
    const moved = across(compactor, definitions, createTaskRequest(task, []));
    expect(moved.sent).toMatchObject({ run: { specifier: 'file:///srv/tasks/b.mjs' } });
    expect(moved.received.run).toEqual({ kind: 'module', specifier: 'file:///srv/tasks/b.mjs' });
  });

  it('sends whole, without an id, a request whose function is shared under another name', () => {
    const compactor = new TaskRequestCompactor();
    const definitions = new TaskDefinitions();
    const request = createTaskRequest(add, [1, 2]);
    across(compactor, definitions, request);
    const renamed = across(compactor, definitions, { ...request, taskName: 'sum' });
    expect(renamed.sent).toEqual({ ...request, taskName: 'sum' });
    expect(renamed.received.taskName).toBe('sum');
    expect(across(compactor, definitions, request).received.taskName).toBe('add');
  });

  it(`keeps at most ${maximumTaskDefinitions} definitions per runner, then sends requests whole`, () => {
    const compactor = new TaskRequestCompactor();
    const definitions = new TaskDefinitions();
    const tasks = Array.from({ length: maximumTaskDefinitions + 1 }, (_, index) =>
      defineTask({ name: `task ${index}`, run: { module: `/srv/tasks/${index}.js` } }),
    );
    for (const task of tasks) across(compactor, definitions, createTaskRequest(task, []));
    const last = tasks[maximumTaskDefinitions] as (typeof tasks)[number];
    const request = createTaskRequest(last, [1]);
    expect(compactor.compact(request)).toBe(request);
    const first = tasks[0] as (typeof tasks)[number];
    expect(across(compactor, definitions, createTaskRequest(first, [1])).sent).toEqual([1, [1]]);
  });

  it('refuses with a RangeError a compact request whose definition never arrived', () => {
    expect(() => new TaskDefinitions().expand([9, []])).toThrow(
      new RangeError('a compact task request names task definition 9, which was never sent'),
    );
  });
});
