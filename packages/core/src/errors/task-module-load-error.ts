import { hasBrand, setBrand } from './brand.js';
import { TimeboxError } from './timebox-error.js';

const taskModuleLoadErrorBrand = Symbol.for('timebox.error.TaskModuleLoadError');

/**
 * Why a module task's function could not be loaded:
 *
 * - `not-found`: the module, or one it imports, does not exist (`ERR_MODULE_NOT_FOUND`);
 * - `syntax-error`: it does not parse;
 * - `unsupported`: this Node cannot load that kind of file (`.ts` without a loader);
 * - `threw`: it threw while it was imported;
 * - `not-a-function`: the export named (or the default export) is missing or not a function.
 */
export type ModuleLoadFailure =
  | 'not-found'
  | 'syntax-error'
  | 'unsupported'
  | 'threw'
  | 'not-a-function';

/** The facts a {@link TaskModuleLoadError} carries. */
export interface TaskModuleLoadErrorOptions {
  /** The name of the task. */
  taskName: string;
  /** The module as it was imported: a `file:` URL, another URL or a package name. */
  module: string;
  /** The export asked for: its name, or `default`. */
  exportName: string;
  /** Why it could not be loaded. */
  reason: ModuleLoadFailure;
  /** A sentence with the detail, such as the import error's message. */
  detail: string;
  /** The import error, when there was one. */
  cause?: unknown;
}

/**
 * A module task's function could not be loaded, in whichever thread or process runs it:
 * the module is missing, does not parse, cannot be loaded here, threw while it was
 * imported, or has no such function. `reason` says which, `module` and `exportName` say
 * what was asked for, and `cause` holds the import error.
 */
export class TaskModuleLoadError extends TimeboxError {
  /** The module as it was imported. */
  readonly module: string;
  /** The export asked for: its name, or `default`. */
  readonly exportName: string;
  /** Why it could not be loaded. */
  readonly reason: ModuleLoadFailure;

  constructor(options: TaskModuleLoadErrorOptions) {
    super(
      `Task '${options.taskName}': could not load the ${options.exportName === 'default' ? 'default export' : `export '${options.exportName}'`} of ${options.module}: ${options.detail}`,
      options,
    );
    this.name = 'TaskModuleLoadError';
    this.module = options.module;
    this.exportName = options.exportName;
    this.reason = options.reason;
    setBrand(this, taskModuleLoadErrorBrand);
  }

  /** Whether `error` is a {@link TaskModuleLoadError}, from any copy of the package. */
  static override isInstance(error: unknown): error is TaskModuleLoadError {
    return hasBrand(error, taskModuleLoadErrorBrand);
  }
}

/** Whether `error` is a {@link TaskModuleLoadError}, from any copy of the package. */
export function isTaskModuleLoadError(error: unknown): error is TaskModuleLoadError {
  return TaskModuleLoadError.isInstance(error);
}
