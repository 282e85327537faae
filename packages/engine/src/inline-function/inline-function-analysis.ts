import type { FreeName } from './free-name-kind.js';

/**
 * What the source of an inline function says about sending it to a worker thread or child
 * process:
 *
 * - `self-contained`: it reads only its parameters, its own variables and the target's
 *   globals; it can be sent;
 * - `closure`: it reads names the target does not have, or has with another value
 *   (`freeNames` lists them);
 * - `no-source`: a native or bound function, which has no source to send;
 * - `not-standalone`: its source is not an expression on its own (a method shorthand or a
 *   class member).
 */
export type InlineFunctionVerdict = 'self-contained' | 'closure' | 'no-source' | 'not-standalone';

/** The analysis of an inline function's source; see {@link analyzeInlineFunction}. */
export interface InlineFunctionAnalysis {
  /** Whether and why it can be sent; see {@link InlineFunctionVerdict}. */
  readonly verdict: InlineFunctionVerdict;
  /** The free names that keep a `closure` from being sent, in source order; empty otherwise. */
  readonly freeNames: readonly FreeName[];
  /** Why it cannot be sent, with the fix; absent when it is self-contained. */
  readonly reason?: string;
}
