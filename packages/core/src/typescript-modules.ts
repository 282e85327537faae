import { TaskModuleLoadError } from './errors/task-module-load-error.js';
import { moduleSpecifier } from './load-task-function.js';
import { type AnyTask, isModuleReference } from './task.js';
import { isTypeScriptModule, typeScriptLoaderAdvice } from './typescript-file.js';
import type { TaskRequest } from './wire/task-request.js';

/**
 * How the host loads TypeScript modules: `native` (Bun, Deno, a Node with type stripping,
 * `process.features.typescript`), `tsx` (the host runs under tsx: `node --import tsx`,
 * `tsx app.ts`, or tsx in `NODE_OPTIONS`) or `none`.
 */
export type TypeScriptLoading = 'native' | 'tsx' | 'none';

/** The subset of a `require` function (from `createRequire`) that registering tsx needs. */
export interface ModuleRequire {
  (id: string): unknown;
  resolve(id: string): string;
  readonly extensions: Readonly<Record<string, unknown>>;
}

interface HostGlobals {
  readonly Bun?: unknown;
  readonly Deno?: unknown;
  readonly process?: {
    readonly features?: { readonly typescript?: unknown };
    readonly execArgv?: readonly string[];
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly cwd?: () => string;
  };
}

const host = globalThis as HostGlobals;

/** A Node option or option value naming tsx: `tsx`, `tsx/esm`, `--import=tsx`, a path into tsx. */
const tsxArgument = /(^|[\\/=])tsx([\\/@]|$)/;

/**
 * How this thread's host loads TypeScript modules, read from the runtime (Bun, Deno,
 * `process.features.typescript`) and from the Node options it was started with
 * (`process.execArgv` and `NODE_OPTIONS`, where tsx registers itself). A host that
 * registered tsx from its own code, without a Node option, reads as `none`.
 */
export function hostTypeScriptLoading(): TypeScriptLoading {
  if (host.Bun !== undefined || host.Deno !== undefined) return 'native';
  const features = host.process?.features;
  if (features?.typescript !== undefined && features.typescript !== false) return 'native';
  const nodeOptions = (host.process?.env?.NODE_OPTIONS ?? '').split(/\s+/);
  const startedWith = [...(host.process?.execArgv ?? []), ...nodeOptions];
  return startedWith.some((argument) => tsxArgument.test(argument)) ? 'tsx' : 'none';
}

/**
 * The error a module task whose module is a TypeScript file gets when this host cannot
 * load TypeScript in a worker or child process (see {@link hostTypeScriptLoading}); undefined
 * for other tasks and where TypeScript can be loaded.
 */
export function typeScriptModuleError(task: AnyTask): TaskModuleLoadError | undefined {
  if (!isModuleReference(task.run)) return undefined;
  const specifier = moduleSpecifier(task.run.module);
  if (!isTypeScriptModule(specifier) || hostTypeScriptLoading() !== 'none') return undefined;
  return new TaskModuleLoadError({
    taskName: task.name,
    module: specifier,
    exportName: task.run.export ?? 'default',
    reason: 'unsupported',
    detail: typeScriptLoaderAdvice,
  });
}

/**
 * Throws the {@link typeScriptModuleError} of a task, if it has one: what a strategy that
 * runs tasks in another thread or process calls before it sends anything.
 */
export function assertTaskModuleLoadable(task: AnyTask): void {
  const error = typeScriptModuleError(task);
  if (error !== undefined) throw error;
}

let registered: Promise<boolean> | undefined;

/**
 * Prepares this thread or process to import the module of a task request, before it runs
 * or is preloaded: for a TypeScript module, {@link prepareTypeScriptLoader} from the
 * module's location. `createRequire` is `node:module`'s.
 */
export function prepareTaskModule(
  request: TaskRequest,
  createRequire: (from: string) => ModuleRequire,
): Promise<void> {
  const { run } = request;
  if (run.kind !== 'module' || !isTypeScriptModule(run.specifier)) return Promise.resolve();
  return prepareTypeScriptLoader(run.specifier, createRequire);
}

/**
 * Makes this thread or process able to import TypeScript modules. Where the runtime strips
 * types itself, or tsx is already registered here (the `.ts` require extension is set), it
 * does nothing; otherwise it registers tsx's hooks (CommonJS and ESM, as `--import tsx`
 * does) from the tsx installed for `origin` (a module's `file:` URL), or else for the
 * working directory. Where no tsx is found it does nothing, and an import of a `.ts` file
 * fails with a `TaskModuleLoadError` (`unsupported`); a later call tries again. Registers
 * at most once per thread. `createRequire` is `node:module`'s.
 */
export function prepareTypeScriptLoader(
  origin: string,
  createRequire: (from: string) => ModuleRequire,
): Promise<void> {
  if (hostTypeScriptLoading() === 'native') return Promise.resolve();
  registered ??= registerTsx(origin, createRequire).catch(() => false);
  const attempt = registered;
  return attempt.then((done) => {
    if (!done && registered === attempt) registered = undefined;
  });
}

/** Registers tsx from the first of `origin` and the working directory that has it. */
async function registerTsx(
  origin: string,
  createRequire: (from: string) => ModuleRequire,
): Promise<boolean> {
  const workingDirectory = moduleSpecifier(`${host.process?.cwd?.() ?? '/'}/`);
  const origins = origin.startsWith('file:') ? [origin, workingDirectory] : [workingDirectory];
  for (const from of origins) {
    const require = createRequire(from);
    if (require.extensions['.ts'] !== undefined) return true;
    let packageJsonPath: string;
    try {
      packageJsonPath = require.resolve('tsx/package.json');
    } catch {
      continue;
    }
    const tsxRequire = createRequire(packageJsonPath);
    (tsxRequire('tsx/cjs/api') as { register(): unknown }).register();
    const manifest = tsxRequire('tsx/package.json') as {
      exports: Record<string, { import: { default: string } }>;
    };
    const esmApi = new URL(
      manifest.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs',
      moduleSpecifier(packageJsonPath),
    );
    ((await import(esmApi.href)) as { register(): unknown }).register();
    return true;
  }
  return false;
}
