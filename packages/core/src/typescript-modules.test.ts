import { describe, expect, it } from 'vitest';
import { defineTask } from './task.js';
import { isTypeScriptModule, typeScriptModuleError } from './typescript-modules.js';

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
  it('has nothing to say about JavaScript modules and inline functions', () => {
    const moduleTask = defineTask({ name: 'js', run: { module: '/app/tasks.js', export: 'x' } });
    const inlineTask = defineTask({ name: 'inline', run: () => 1 });
    expect(typeScriptModuleError(moduleTask)).toBeUndefined();
    expect(typeScriptModuleError(inlineTask)).toBeUndefined();
  });
});
