import { describeValue } from './describe-value.js';
import { type ModuleLoadFailure, TaskModuleLoadError } from './errors/task-module-load-error.js';
import type { ModuleReference, TaskFunction } from './task.js';
import { isTypeScriptModule, typeScriptLoaderAdvice } from './typescript-file.js';

/**
 * Turns a module reference's `module` into something `import()` accepts: a `file:` URL for
 * absolute paths (POSIX or Windows), the string itself for URLs and package names.
 */
export function moduleSpecifier(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (module === lastModule) return lastSpecifier;
  lastSpecifier = specifierOfString(module);
  lastModule = module;
  return lastSpecifier;
}

// The last answer is kept: a strategy asks about the same module on every call of its task.
let lastModule: string | undefined;
let lastSpecifier = '';

function specifierOfString(module: string): string {
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
 * default, `exports.name` by name). Throws a `TaskModuleLoadError` naming the task, the
 * module and the export, with the import error as `cause`, when the module is missing,
 * does not parse, cannot be loaded here or throws while it is imported, or has no such
 * function.
 */
export async function loadTaskFunction(
  taskName: string,
  reference: ModuleReference,
): Promise<TaskFunction> {
  const specifier = moduleSpecifier(reference.module);
  const exportName = reference.export ?? 'default';
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const reason = importFailure(error);
    const sentence =
      reason === 'unsupported' && isTypeScriptModule(specifier)
        ? typeScriptLoaderAdvice
        : importFailureSentences[reason];
    throw new TaskModuleLoadError({
      taskName,
      module: specifier,
      exportName,
      reason,
      detail: `${sentence} (${describeImportError(error)})`,
      cause: error,
    });
  }
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
    throw new TaskModuleLoadError({
      taskName,
      module: specifier,
      exportName,
      reason: 'not-a-function',
      detail: `it must be a function, got ${describeValue(candidate)}`,
    });
  }
  return candidate as TaskFunction;
}

const importFailureSentences: Readonly<
  Record<Exclude<ModuleLoadFailure, 'not-a-function'>, string>
> = {
  'not-found':
    "the module, or a module it imports, was not found; check the path (an absolute path or a file: URL, such as new URL('./tasks.js', import.meta.url))",
  'syntax-error': 'the module does not parse, or threw a SyntaxError while it was imported',
  unsupported: 'this Node cannot load that kind of module here',
  threw: 'the module threw while it was imported',
};

/** How browsers say a module could not be fetched (Chromium, Firefox); they give no code. */
const browserNotFound =
  /^(Failed to fetch dynamically imported module|error loading dynamically imported module)/;

const notFoundCodes: ReadonlySet<unknown> = new Set([
  'ERR_MODULE_NOT_FOUND',
  'MODULE_NOT_FOUND',
  'ERR_UNSUPPORTED_DIR_IMPORT',
  'ERR_PACKAGE_PATH_NOT_EXPORTED',
  'ERR_INVALID_MODULE_SPECIFIER',
]);
const unsupportedCodes: ReadonlySet<unknown> = new Set([
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_UNSUPPORTED_ESM_URL_SCHEME',
  'ERR_UNKNOWN_MODULE_FORMAT',
  'ERR_REQUIRE_ESM',
]);

function importFailure(error: unknown): Exclude<ModuleLoadFailure, 'not-a-function'> {
  const code = (error as { code?: unknown } | null)?.code;
  if (notFoundCodes.has(code)) return 'not-found';
  if (error instanceof TypeError && browserNotFound.test(error.message)) return 'not-found';
  if (unsupportedCodes.has(code)) return 'unsupported';
  if (error instanceof SyntaxError) return 'syntax-error';
  return 'threw';
}

function describeImportError(error: unknown): string {
  if (!(error instanceof Error)) return `it threw ${describeValue(error)}`;
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
}
