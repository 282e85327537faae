import { describeValue } from './describe-value.js';
import type { ModuleReference, TaskFunction } from './task.js';

/**
 * Turns a module reference's `module` into something `import()` accepts: a `file:` URL for
 * absolute paths (POSIX or Windows), the string itself for URLs and package names.
 */
export function moduleSpecifier(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('/'))
    return `file://${encodeURI(module).replace(/[?#]/g, encodeURIComponent)}`;
  if (/^[a-zA-Z]:[\\/]/.test(module)) {
    const forward = module.replace(/\\/g, '/');
    return `file:///${encodeURI(forward).replace(/[?#]/g, encodeURIComponent)}`;
  }
  return module;
}

/**
 * Imports the module a task refers to and returns the function it names: the export
 * given, or the default export. CommonJS modules work too (`module.exports = fn` as the
 * default, `exports.name` by name). Throws a `TypeError` naming the task, module and
 * export when there is no such function.
 */
export async function loadTaskFunction(
  taskName: string,
  reference: ModuleReference,
): Promise<TaskFunction> {
  const specifier = moduleSpecifier(reference.module);
  const namespace = (await import(specifier)) as Record<string, unknown>;
  const exportName = reference.export ?? 'default';
  let candidate = namespace[exportName];
  if (candidate === undefined && exportName !== 'default') {
    const commonJsExports = namespace.default as Record<string, unknown> | undefined;
    candidate = commonJsExports?.[exportName];
  }
  if (typeof candidate === 'object' && candidate !== null && exportName === 'default') {
    const nestedDefault = (candidate as Record<string, unknown>).default;
    if (typeof nestedDefault === 'function') candidate = nestedDefault;
  }
  if (typeof candidate !== 'function') {
    throw new TypeError(
      `Task '${taskName}': the ${exportName === 'default' ? 'default export' : `export '${exportName}'`} of ${specifier} must be a function, got ${describeValue(candidate)}`,
    );
  }
  return candidate as TaskFunction;
}
