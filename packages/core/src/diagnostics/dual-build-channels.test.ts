import { spawnSync } from 'node:child_process';
import diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunMessage, TimeoutStrategy } from '../index.js';

type Core = typeof import('../index.js');

const requireBuild = createRequire(import.meta.url);
const builds: Array<[string, Core]> = [
  ['ESM', (await import('../../dist/index.js')) as unknown as Core],
  ['CommonJS', requireBuild('../../dist/index.cjs') as Core],
];

const strategy: TimeoutStrategy = {
  name: 'inline',
  enforcement: 'soft',
  supports: () => ({ supported: true }),
  run: async () => 'built' as never,
  close: async () => {},
};

describe.each(builds)('the %s build', (_, core) => {
  it('publishes on timebox:run without a static node: import', async () => {
    const started: RunMessage[] = [];
    const onStart = (message: unknown) => {
      started.push(message as RunMessage);
    };
    diagnosticsChannel.subscribe(`tracing:${core.timeboxChannels.run}:start`, onStart);
    try {
      const task = core.defineTask({ name: 'built task', timeout: 1_000, run: () => 'unused' });
      await expect(core.runTaskWithTimeout(task, [], { strategy })).resolves.toBe('built');
    } finally {
      diagnosticsChannel.unsubscribe(`tracing:${core.timeboxChannels.run}:start`, onStart);
    }
    expect(started.map((message) => message.task)).toEqual(['built task']);
  });
});

/**
 * Node 20.11 to 20.15 have no `process.getBuiltinModule`: a child process without it loads
 * each build and reports whether a run in the first tick, and one after the first
 * `setImmediate`, reached a subscriber.
 */
function publishedWithoutGetBuiltinModule(load: string): { firstTick: number; later: number } {
  const script = `
    delete process.getBuiltinModule;
    const channels = require('node:diagnostics_channel');
    let seen = 0;
    channels.subscribe('tracing:timebox:run:start', () => { seen += 1; });
    Promise.resolve(${load}).then(async (core) => {
      const strategy = { name: 'inline', enforcement: 'soft', supports: () => ({ supported: true }), run: async () => 1, close: async () => {} };
      const task = core.defineTask({ name: 'old node', timeout: 100, run: () => 1 });
      await core.runTaskWithTimeout(task, [], { strategy });
      const firstTick = seen;
      await new Promise((resolve) => setImmediate(resolve));
      await core.runTaskWithTimeout(task, [], { strategy });
      process.stdout.write(JSON.stringify({ firstTick, later: seen - firstTick }));
    });`;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { firstTick: number; later: number };
}

describe('a Node without process.getBuiltinModule (20.11 to 20.15)', () => {
  it('publishes from the first tick with the CommonJS build', () => {
    expect(publishedWithoutGetBuiltinModule("require('./dist/index.cjs')")).toEqual({
      firstTick: 1,
      later: 1,
    });
  });

  it('publishes from the first timer turn with the ESM build', () => {
    const published = publishedWithoutGetBuiltinModule("import('./dist/index.js')");
    expect(published.later).toBe(1);
    expect([0, 1]).toContain(published.firstTick);
  });
});
