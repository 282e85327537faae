import type { Timebox } from './assemble-timebox.js';

/** A timebox made on first use and shared; see {@link sharedTimebox}. */
export interface SharedTimebox {
  /** The shared timebox, made now when this is its first use. */
  get(): Timebox;
  /** Closes the shared timebox when it was made; resolves at once otherwise. */
  close(): Promise<void>;
}

/**
 * The package's own timebox behind its `runTaskWithTimeout`, `explain` and `close`: made
 * by `create` on the first run, so that importing the package starts nothing.
 */
export function sharedTimebox(create: () => Timebox): SharedTimebox {
  let shared: Timebox | undefined;
  return {
    get() {
      shared ??= create();
      return shared;
    },
    close() {
      return shared === undefined ? Promise.resolve() : shared.close();
    },
  };
}
