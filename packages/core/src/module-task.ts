import { defineTask, type Task } from './task.js';

/**
 * The names of a module's exports that are functions, from its type
 * (`typeof import('./tasks.js')`): what a module task can name as its `export`.
 */
export type FunctionExportName<Module> = {
  [Name in keyof Module]-?: Module[Name] extends (...args: never[]) => unknown ? Name : never;
}[keyof Module] &
  string;

/** The function a module exports under `Name`, from the module's type. */
type ExportedFunction<Module, Name extends keyof Module> = Module[Name] extends (
  ...args: infer Args
) => infer Returned
  ? (...args: Args) => Returned
  : never;

/** The arguments of the function a module exports under `Name`. */
export type ModuleTaskArguments<Module, Name extends keyof Module> = Parameters<
  ExportedFunction<Module, Name>
>;

/** The value the function a module exports under `Name` resolves with. */
export type ModuleTaskResult<Module, Name extends keyof Module> = Awaited<
  ReturnType<ExportedFunction<Module, Name>>
>;

/**
 * What the function {@link moduleTask} returns accepts: a task definition whose `run` is
 * a module reference. `export` may be left out only when the module has a default export
 * that is a function.
 */
export interface ModuleTaskDefinition<Name extends string> {
  /** A name for logs and errors; not empty. */
  readonly name: string;
  /** The time limit in milliseconds; absent or `Infinity` means no limit. */
  readonly timeout?: number;
  /** The module to import and the export to call. */
  readonly run: 'default' extends Name
    ? { readonly module: string | URL; readonly export?: Name }
    : { readonly module: string | URL; readonly export: Name };
  /** Free-form labels that selectors may read (for example `cooperative`). */
  readonly tags?: readonly string[];
  /** Run each call in a fresh runner, retired after it (see `defineTask`'s `isolate`). */
  readonly isolate?: boolean;
}

/**
 * Defines a module task typed from its module: give the module's type once
 * (`typeof import('./tasks.js')`, which imports nothing at run time), and the task takes
 * the arguments of the export it names and resolves with what that export returns (or
 * resolves with). `export` is checked against the module's function exports. The task is
 * made, and checked, by `defineTask`.
 *
 * @example
 * ```ts
 * const hash = moduleTask<typeof import('./tasks.js')>()({
 *   name: 'hash',
 *   timeout: 5_000,
 *   run: { module: new URL('./tasks.js', import.meta.url), export: 'hash' },
 * });
 * // Task<[text: string], string> when tasks.ts has `export function hash(text: string): string`
 * ```
 */
export function moduleTask<Module>(): <
  Name extends FunctionExportName<Module> = Extract<FunctionExportName<Module>, 'default'>,
>(
  definition: ModuleTaskDefinition<Name>,
) => Task<ModuleTaskArguments<Module, Name>, ModuleTaskResult<Module, Name>> {
  return (definition) => defineTask(definition);
}
