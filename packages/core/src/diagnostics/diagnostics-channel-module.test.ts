import diagnosticsChannel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import {
  type DiagnosticsRuntime,
  diagnosticsChannelModule,
  lookUpDiagnosticsChannel,
} from './diagnostics-channel-module.js';

const nodeProcess = globalThis.process as unknown as {
  getBuiltinModule: (id: string) => unknown;
};

describe('finding diagnostics_channel without a static node: import', () => {
  it('takes it synchronously from process.getBuiltinModule (Node ≥ 20.16, Bun, Deno)', () => {
    const asked: string[] = [];
    const runtime: DiagnosticsRuntime = {
      process: {
        getBuiltinModule: (id) => {
          asked.push(id);
          return nodeProcess.getBuiltinModule(id);
        },
        versions: { node: '20.20.0' },
      },
    };
    const lookup = lookUpDiagnosticsChannel(runtime);
    expect(asked).toEqual(['node:diagnostics_channel']);
    expect(lookup.kind).toBe('ready');
    if (lookup.kind !== 'ready') return;
    expect(lookup.module.channel('timebox:test:ready')).toBe(
      diagnosticsChannel.channel('timebox:test:ready'),
    );
  });

  it('imports it once on a Node without getBuiltinModule (20.11 to 20.15)', async () => {
    const lookup = lookUpDiagnosticsChannel({ process: { versions: { node: '20.11.0' } } });
    expect(lookup.kind).toBe('loading');
    if (lookup.kind !== 'loading') return;
    const module = await lookup.loaded;
    expect(module?.channel('timebox:test:imported')).toBe(
      diagnosticsChannel.channel('timebox:test:imported'),
    );
  });

  it('finds nothing, and throws nothing, in a runtime without a Node process (a browser)', () => {
    expect(lookUpDiagnosticsChannel({}).kind).toBe('absent');
    expect(lookUpDiagnosticsChannel({ process: undefined }).kind).toBe('absent');
    expect(lookUpDiagnosticsChannel({ process: { getBuiltinModule: () => undefined } }).kind).toBe(
      'absent',
    );
  });

  it('has found it by the time this Node process runs its first test', () => {
    expect(diagnosticsChannelModule()?.channel('timebox:test:current')).toBe(
      diagnosticsChannel.channel('timebox:test:current'),
    );
  });
});
