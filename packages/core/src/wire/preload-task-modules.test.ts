import { describe, expect, it } from 'vitest';
import { loadTaskFunction } from '../load-task-function.js';
import { preloadTaskModules } from './preload-task-modules.js';

describe('preloadTaskModules', () => {
  it('imports the module of a module task ahead of need, skips inline ones, and swallows a failing import', async () => {
    const marker = `preloaded-${Math.random().toString(36).slice(2)}`;
    const source = `globalThis[${JSON.stringify(marker)}] = (globalThis[${JSON.stringify(marker)}] ?? 0) + 1; export default () => 1;`;
    const module = `data:text/javascript,${encodeURIComponent(source)}`;
    const prepared: string[] = [];
    const done = preloadTaskModules(
      [
        { taskName: 'warm', run: { kind: 'module', specifier: module }, args: [] },
        { taskName: 'inline', run: { kind: 'source', source: '() => 0' }, args: [] },
        {
          taskName: 'missing',
          run: { kind: 'module', specifier: 'file:///no/such/module.mjs', exportName: 'x' },
          args: [],
        },
      ],
      async (request) => {
        prepared.push(request.taskName);
      },
    );
    // It resolves once every import has loaded or failed, each after its preparation.
    await expect(done).resolves.toBeUndefined();
    expect((globalThis as Record<string, unknown>)[marker]).toBe(1);
    expect(prepared).toEqual(['warm', 'missing']);
    // Loaded once: the task's own load finds the module already imported.
    await loadTaskFunction('warm', { module });
    expect((globalThis as Record<string, unknown>)[marker]).toBe(1);
  });
});
