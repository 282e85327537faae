import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineTask } from './task.js';
import { isTypeScriptModule } from './typescript-file.js';
import { hostTypeScriptLoading, typeScriptModuleError } from './typescript-modules.js';

describe('isTypeScriptModule', () => {
  it.each([
    'file:///app/tasks.ts',
    'file:///app/tasks.mts',
    'file:///app/tasks.cts',
    'file:///app/view.tsx',
    'file:///app/tasks.ts?version=2',
  ])('reads %s as TypeScript', (specifier) => {
    expect(isTypeScriptModule(specifier)).toBe(true);
  });

  it.each([
    'file:///app/tasks.js',
    'file:///app/tasks.mjs',
    'file:///app/types.d.ts.js',
    'some-package',
  ])('reads %s as JavaScript', (specifier) => {
    expect(isTypeScriptModule(specifier)).toBe(false);
  });
});

describe('typeScriptModuleError', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names the task, the module and the three ways out for a .ts module on a host without a loader', () => {
    vi.stubEnv('NODE_OPTIONS', '');
    const task = defineTask({ name: 'hash', run: { module: '/app/tasks.ts', export: 'hash' } });
    const error = typeScriptModuleError(task);
    expect(error).toMatchObject({
      name: 'TaskModuleLoadError',
      reason: 'unsupported',
      module: 'file:///app/tasks.ts',
      exportName: 'hash',
    });
    expect(error?.message).toMatch(
      /^Task 'hash': could not load the export 'hash' of file:\/\/\/app\/tasks\.ts: .*tsx.*type stripping.*compiled \.js/,
    );
  });

  it('has nothing to say about a .ts module on a host under tsx', () => {
    vi.stubEnv('NODE_OPTIONS', '--import tsx');
    const task = defineTask({ name: 'hash', run: { module: '/app/tasks.ts', export: 'hash' } });
    expect(typeScriptModuleError(task)).toBeUndefined();
  });

  it('has nothing to say about JavaScript modules and inline functions', () => {
    const moduleTask = defineTask({ name: 'js', run: { module: '/app/tasks.js', export: 'x' } });
    const inlineTask = defineTask({ name: 'inline', run: () => 1 });
    expect(typeScriptModuleError(moduleTask)).toBeUndefined();
    expect(typeScriptModuleError(inlineTask)).toBeUndefined();
  });
});

describe('hostTypeScriptLoading', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    '--import tsx',
    '--import=tsx',
    '--require tsx/cjs',
    '--loader tsx/esm',
    '--import file:///app/node_modules/tsx/dist/loader.mjs',
    '--require /app/node_modules/.pnpm/tsx@4.23.15/node_modules/tsx/dist/preflight.cjs',
  ])('reads NODE_OPTIONS=%s as a host under tsx', (nodeOptions) => {
    vi.stubEnv('NODE_OPTIONS', nodeOptions);
    expect(hostTypeScriptLoading()).toBe('tsx');
  });

  it.each([
    '--max-old-space-size=256',
    '--import ./tsx-free-setup.mjs',
    '--require /app/tsxconfig.cjs',
  ])('reads NODE_OPTIONS=%s as a host without a TypeScript loader', (nodeOptions) => {
    vi.stubEnv('NODE_OPTIONS', nodeOptions);
    expect(hostTypeScriptLoading()).toBe('none');
  });
});
