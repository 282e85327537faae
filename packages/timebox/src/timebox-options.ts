import type { Logger } from '@timebox/core';
import { describeValue, validateLogger } from '@timebox/core/strategy-kit';
import type { ProcessStrategyOptions } from '@timebox/process';
import type { SelectionContext, Selector } from '@timebox/select';
import type { ThreadStrategyOptions } from '@timebox/thread';
import type { WorkerStrategyOptions } from '@timebox/worker';

/** What a timebox does with an inline function that is a closure; see {@link TimeboxOptions.closures}. */
export type ClosurePolicy = 'reject' | 'soft';

/** Options of {@link createTimebox}. Every one is optional. */
export interface TimeboxOptions {
  /** Options of the thread strategy, or `false` to leave it out of the candidates. */
  readonly thread?: ThreadStrategyOptions | false;
  /** Options of the worker strategy, or `false` to leave it out of the candidates. */
  readonly worker?: WorkerStrategyOptions | false;
  /** Options of the process strategy, or `false` to leave it out of the candidates. */
  readonly process?: ProcessStrategyOptions | false;
  /** The selector that picks a strategy for each run. Default: `defaultSelector`. */
  readonly selector?: Selector;
  /** The context selections weigh. Default: `detectContext()`. */
  readonly context?: SelectionContext;
  /** Where runs and selection warnings log, unless a run passes its own logger. */
  readonly logger?: Logger;
  /**
   * An inline function whose source shows it is a closure (it reads a variable of its
   * enclosing scope, CommonJS's `require` or `__dirname`, a compiled import such as
   * `core_1`, or a global its module imported such as `crypto.createHash`), found before
   * anything runs: `'reject'` (default) rejects the run with a `TaskSerializationError`
   * that names the names and the fix; `'soft'` runs it on the calling thread under a soft
   * timeout, once, with the whole time limit and a warning. Either way no task runs twice.
   */
  readonly closures?: ClosurePolicy;
}

/** {@link TimeboxOptions} checked. */
export interface ResolvedTimeboxOptions {
  /** See {@link TimeboxOptions.thread}. */
  readonly thread: ThreadStrategyOptions | false | undefined;
  /** See {@link TimeboxOptions.worker}. */
  readonly worker: WorkerStrategyOptions | false | undefined;
  /** See {@link TimeboxOptions.process}. */
  readonly process: ProcessStrategyOptions | false | undefined;
  /** See {@link TimeboxOptions.selector}. */
  readonly selector: Selector | undefined;
  /** See {@link TimeboxOptions.context}. */
  readonly context: SelectionContext | undefined;
  /** See {@link TimeboxOptions.logger}. */
  readonly logger: Logger | undefined;
  /** See {@link TimeboxOptions.closures}. */
  readonly closures: ClosurePolicy;
}

/**
 * Checks {@link TimeboxOptions}; throws a `TypeError` naming the option and the value. The
 * strategies check their own options when they are created.
 */
export function resolveTimeboxOptions(options: TimeboxOptions | undefined): ResolvedTimeboxOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createTimebox() options must be an object, got ${describeValue(options)}`);
  }
  for (const name of ['thread', 'worker', 'process'] as const) {
    const value: unknown = options[name];
    if (value !== undefined && value !== false && (typeof value !== 'object' || value === null)) {
      throw new TypeError(
        `createTimebox() option ${name} must be the ${name} strategy's options object, or false to leave it out, got ${describeValue(value)}`,
      );
    }
  }
  const selector: unknown = options.selector;
  if (
    selector !== undefined &&
    (typeof selector !== 'object' ||
      selector === null ||
      typeof (selector as Partial<Selector>).select !== 'function' ||
      !Array.isArray((selector as Partial<Selector>).rules))
  ) {
    throw new TypeError(
      `createTimebox() option selector must be a selector made by createSelector(), got ${describeValue(selector)}`,
    );
  }
  const context: unknown = options.context;
  if (context !== undefined && (typeof context !== 'object' || context === null)) {
    throw new TypeError(
      `createTimebox() option context must be an object such as detectContext() returns, got ${describeValue(context)}`,
    );
  }
  const logger =
    options.logger === undefined ? undefined : validateLogger('(createTimebox)', options.logger);
  const closures: unknown = options.closures ?? 'reject';
  if (closures !== 'soft' && closures !== 'reject') {
    throw new TypeError(
      `createTimebox() option closures must be 'reject' or 'soft', got ${describeValue(closures)}`,
    );
  }
  return {
    thread: options.thread,
    worker: options.worker,
    process: options.process,
    selector: selector as Selector | undefined,
    context: context as SelectionContext | undefined,
    logger,
    closures,
  };
}
