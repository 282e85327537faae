import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTaskModuleLoadError } from './errors/task-module-load-error.js';
import { isTimeboxError } from './errors/timebox-error.js';
import { loadTaskFunction, moduleSpecifier } from './load-task-function.js';

const fixtures = new URL('./test-fixtures/', import.meta.url);
const fixturePath = (name: string): string => fileURLToPath(new URL(name, fixtures));

describe('moduleSpecifier', () => {
  it.each([
    ['a POSIX path', '/srv/tasks/resize.js', 'file:///srv/tasks/resize.js'],
    [
      'a POSIX path with spaces, percent, hash and question mark',
      '/srv/my tasks/100%/a#b?c.js',
      'file:///srv/my%20tasks/100%25/a%23b%3Fc.js',
    ],
    [
      'a POSIX path with non-ASCII letters',
      '/srv/tâches/é.js',
      'file:///srv/t%C3%A2ches/%C3%A9.js',
    ],
    ['a Windows path', 'C:\\tasks\\resize.js', 'file:///C:/tasks/resize.js'],
    [
      'a Windows path with forward slashes',
      'd:/work/my tasks/x.mjs',
      'file:///d:/work/my%20tasks/x.mjs',
    ],
    ['a file URL string', 'file:///srv/tasks/resize.js', 'file:///srv/tasks/resize.js'],
    ['a URL object', new URL('file:///srv/my%20tasks/a.js'), 'file:///srv/my%20tasks/a.js'],
    [
      'a data URL object',
      new URL('data:text/javascript,export default 1'),
      'data:text/javascript,export default 1',
    ],
    ['a package name', 'some-package', 'some-package'],
    ['a scoped package subpath', '@scope/tasks/resize', '@scope/tasks/resize'],
  ])('turns %s into an import specifier', (_label, module, expected) => {
    expect(moduleSpecifier(module)).toBe(expected);
  });

  it('gives, for a POSIX path, the same URL as node:url pathToFileURL', async () => {
    const { pathToFileURL } = await import('node:url');
    for (const path of ['/srv/tasks/a.js', '/srv/my tasks/100%/a#b?c.js', '/srv/tâches/é.js']) {
      expect(moduleSpecifier(path)).toBe(pathToFileURL(path).href);
    }
  });
});

describe('loadTaskFunction', () => {
  it('loads the default export of an ES module', async () => {
    const run = await loadTaskFunction('esm default', {
      module: new URL('esm-tasks.mjs', fixtures),
    });
    expect(run(21)).toBe(42);
  });

  it('loads a named export of an ES module given by absolute path', async () => {
    const run = await loadTaskFunction('esm named', {
      module: fixturePath('esm-tasks.mjs'),
      export: 'add',
    });
    expect(run(2, 3)).toBe(5);
  });

  it('loads module.exports = fn of a CommonJS module as its default export', async () => {
    const run = await loadTaskFunction('cjs default', { module: fixturePath('cjs-default.cjs') });
    expect(run(5)).toBe(15);
  });

  it('loads a named export of a CommonJS module', async () => {
    const run = await loadTaskFunction('cjs named', {
      module: new URL('cjs-named.cjs', fixtures),
      export: 'subtract',
    });
    expect(run(5, 3)).toBe(2);
  });

  it('loads exports.default of a CommonJS module compiled from ES module syntax', async () => {
    const run = await loadTaskFunction('cjs default property', {
      module: new URL('cjs-default-property.cjs', fixtures),
    });
    expect(run(4)).toBe(-4);
  });

  it('loads a built-in module by name', async () => {
    const run = await loadTaskFunction('builtin', { module: 'node:path', export: 'basename' });
    expect(run('/a/b.txt')).toBe('b.txt');
  });

  it.each([
    ['ESM', 'esm-tasks.mjs'],
    ['CommonJS', 'cjs-named.cjs'],
  ])(
    'rejects a missing named export of an %s module with a TaskModuleLoadError naming it',
    async (_label, file) => {
      const url = new URL(file, fixtures);
      const error = await loadTaskFunction('missing', { module: url, export: 'nope' }).catch(
        (e: unknown) => e,
      );
      expect(isTaskModuleLoadError(error)).toBe(true);
      expect(error).toMatchObject({
        taskName: 'missing',
        module: url.href,
        exportName: 'nope',
        reason: 'not-a-function',
        message: `Task 'missing': could not load the export 'nope' of ${url.href}: it must be a function, got undefined`,
      });
    },
  );

  it('rejects an export that is not a function, naming what it is', async () => {
    const url = new URL('esm-tasks.mjs', fixtures);
    await expect(
      loadTaskFunction('not a function', { module: url, export: 'notAFunction' }),
    ).rejects.toThrow(
      `Task 'not a function': could not load the export 'notAFunction' of ${url.href}: it must be a function, got 42`,
    );
  });

  it('rejects a module without a default function export, naming the default export', async () => {
    const url = new URL('cjs-named.cjs', fixtures);
    await expect(loadTaskFunction('no default', { module: url })).rejects.toThrow(
      `Task 'no default': could not load the default export of ${url.href}: it must be a function, got a plain object`,
    );
  });

  it.each([
    [
      'a module that does not exist',
      pathToFileURL(fixturePath('does-not-exist.mjs')).href,
      'not-found',
      /the module, or a module it imports, was not found.*\(Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module .*does-not-exist\.mjs/,
    ],
    [
      'a module with a syntax error',
      'data:text/javascript,export default (',
      'syntax-error',
      /the module does not parse.*\(SyntaxError: /,
    ],
    [
      'a module that throws while it is imported',
      'data:text/javascript,throw new RangeError("no config")',
      'threw',
      /the module threw while it was imported \(RangeError: no config\)$/,
    ],
  ])(
    'rejects %s with a TaskModuleLoadError naming the task and the module, with the cause',
    async (_label, module, reason, detail) => {
      const error = await loadTaskFunction('broken', { module }).catch((e: unknown) => e);
      expect(isTaskModuleLoadError(error)).toBe(true);
      expect(isTimeboxError(error)).toBe(true);
      expect(error).toMatchObject({ taskName: 'broken', module, exportName: 'default', reason });
      expect((error as Error).message).toMatch(
        `Task 'broken': could not load the default export of ${module}: `,
      );
      expect((error as Error).message).toMatch(detail);
      expect((error as Error).cause).toBeInstanceOf(Error);
    },
  );
});
