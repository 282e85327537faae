import { describe, expect, it } from 'vitest';
import type { DetectionGlobals } from './builtin-modules.js';
import { readContext } from './read-context.js';

interface FakeNodeOptions {
  isMainThread?: boolean;
  permissions?: Record<string, boolean>;
  missingModules?: string[];
  ipc?: boolean;
  env?: Record<string, string>;
  versions?: Record<string, string>;
  getBuiltinModule?: false;
}

function fakeNode(options: FakeNodeOptions = {}): DetectionGlobals {
  const modules: Record<string, unknown> = {
    'node:worker_threads': { isMainThread: options.isMainThread ?? true },
    'node:child_process': { spawn() {} },
    'node:os': { availableParallelism: () => 6 },
  };
  const process: Record<string, unknown> = {
    versions: options.versions ?? { node: '20.20.2' },
    release: { name: 'node' },
    platform: 'linux',
    env: options.env ?? {},
  };
  if (options.getBuiltinModule !== false) {
    process.getBuiltinModule = (id: string) => {
      if (options.missingModules?.includes(id)) {
        throw Object.assign(new Error(`No such built-in module: ${id}`), {
          code: 'ERR_UNKNOWN_BUILTIN_MODULE',
        });
      }
      return modules[id];
    };
  }
  if (options.permissions !== undefined) {
    const granted = options.permissions;
    process.permission = { has: (scope: string) => granted[scope] === true };
  }
  if (options.ipc) {
    process.send = () => true;
    process.channel = {};
  }
  return { process };
}

describe('readContext', () => {
  it('reads a Node main thread where everything is allowed', () => {
    expect(readContext(fakeNode())).toEqual({
      runtime: 'node',
      runtimeVersion: '20.20.2',
      platform: 'linux',
      thread: 'main',
      ipcChannel: false,
      permissionModel: false,
      workerThreadsAvailable: true,
      childProcessAvailable: true,
      workersAllowed: true,
      childProcessesAllowed: true,
      webWorkersAvailable: false,
      threadTerminationStopsBusyThreads: true,
      availableParallelism: 6,
      ci: false,
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(readContext(fakeNode()))).toBe(true);
  });

  it('reads the permission model when it grants neither workers nor child processes', () => {
    const context = readContext(fakeNode({ permissions: {} }));
    expect(context).toMatchObject({
      permissionModel: true,
      workerThreadsAvailable: true,
      childProcessAvailable: true,
      workersAllowed: false,
      childProcessesAllowed: false,
    });
  });

  it('reads the permission model when it grants workers only (--allow-worker)', () => {
    const context = readContext(fakeNode({ permissions: { worker: true } }));
    expect(context).toMatchObject({
      permissionModel: true,
      workersAllowed: true,
      childProcessesAllowed: false,
    });
  });

  it('reads the permission model when it grants child processes only (--allow-child-process)', () => {
    const context = readContext(fakeNode({ permissions: { child: true } }));
    expect(context).toMatchObject({ workersAllowed: false, childProcessesAllowed: true });
  });

  it('treats a permission check that throws as not granted', () => {
    const globals = fakeNode();
    (globals.process as Record<string, unknown>).permission = {
      has: () => {
        throw new Error('unknown scope');
      },
    };
    expect(readContext(globals)).toMatchObject({
      permissionModel: true,
      workersAllowed: false,
      childProcessesAllowed: false,
    });
  });

  it('sees that it runs in a worker thread', () => {
    expect(readContext(fakeNode({ isMainThread: false })).thread).toBe('worker');
  });

  it('sees an IPC channel to a parent process', () => {
    expect(readContext(fakeNode({ ipc: true })).ipcChannel).toBe(true);
  });

  it('reports modules that cannot be loaded as unavailable and not allowed', () => {
    const context = readContext(
      fakeNode({ missingModules: ['node:worker_threads', 'node:child_process'] }),
    );
    expect(context).toMatchObject({
      runtime: 'node',
      thread: 'main',
      workerThreadsAvailable: false,
      childProcessAvailable: false,
      workersAllowed: false,
      childProcessesAllowed: false,
    });
  });

  it('assumes Node has both modules when process.getBuiltinModule is missing (Node < 20.16)', () => {
    const context = readContext(fakeNode({ getBuiltinModule: false }));
    expect(context).toMatchObject({
      workerThreadsAvailable: true,
      childProcessAvailable: true,
      workersAllowed: true,
      thread: 'main',
      availableParallelism: 1,
    });
  });

  it('reads a browser page: no process, no modules, nothing hard allowed', () => {
    const context = readContext({
      window: {},
      document: {},
      Worker: class {},
      navigator: { hardwareConcurrency: 8, userAgent: 'Mozilla/5.0' },
    });
    expect(context).toEqual({
      runtime: 'browser',
      runtimeVersion: undefined,
      platform: 'unknown',
      thread: 'main',
      ipcChannel: false,
      permissionModel: false,
      workerThreadsAvailable: false,
      childProcessAvailable: false,
      workersAllowed: false,
      childProcessesAllowed: false,
      webWorkersAvailable: true,
      threadTerminationStopsBusyThreads: true,
      availableParallelism: 8,
      ci: false,
    });
  });

  it('reads a web worker as a browser worker thread', () => {
    const context = readContext({ WorkerGlobalScope: class {}, importScripts() {} });
    expect(context).toMatchObject({ runtime: 'browser', thread: 'worker', workersAllowed: false });
  });

  it('reads Deno, and its run permission for child processes', () => {
    const context = readContext({
      ...fakeNode(),
      Deno: {
        version: { deno: '2.1.0' },
        permissions: {
          querySync: ({ name }: { name: string }) => ({
            state: name === 'run' ? 'prompt' : 'granted',
          }),
        },
      },
    });
    expect(context).toMatchObject({
      runtime: 'deno',
      runtimeVersion: '2.1.0',
      workersAllowed: true,
      childProcessesAllowed: false,
      threadTerminationStopsBusyThreads: false,
    });
  });

  it('sees Web Workers where a Worker global exists, but never counts Node as having them', () => {
    expect(readContext({ ...fakeNode(), Worker: class {} }).webWorkersAvailable).toBe(false);
    expect(
      readContext({ ...fakeNode({ versions: { node: '22.6.0', bun: '1.2.0' } }), Worker: class {} })
        .webWorkersAvailable,
    ).toBe(true);
    expect(readContext({ window: {}, document: {} }).webWorkersAvailable).toBe(false);
  });

  it('reads Bun from process.versions.bun', () => {
    const context = readContext(fakeNode({ versions: { node: '22.6.0', bun: '1.2.0' } }));
    expect(context).toMatchObject({
      runtime: 'bun',
      runtimeVersion: '1.2.0',
      threadTerminationStopsBusyThreads: true,
    });
  });

  it('reads edge runtimes (Vercel EdgeRuntime, Cloudflare Workers)', () => {
    expect(readContext({ EdgeRuntime: 'edge-runtime' }).runtime).toBe('edge');
    expect(readContext({ navigator: { userAgent: 'Cloudflare-Workers' } })).toMatchObject({
      runtime: 'edge',
      workersAllowed: false,
      childProcessesAllowed: false,
    });
  });

  it('reads an unknown runtime without failing', () => {
    expect(readContext({})).toMatchObject({
      runtime: 'unknown',
      runtimeVersion: undefined,
      workersAllowed: false,
      childProcessesAllowed: false,
      availableParallelism: 1,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
    ['', false],
  ])('reads CI=%j as ci: %s', (value, expected) => {
    expect(readContext(fakeNode({ env: { CI: value } })).ci).toBe(expected);
  });
});
