import type { AnyTask, Logger, RuntimeContext, TimeoutStrategy } from '@timebox/core';
import type { DetectedContext } from './detected-context.js';

/**
 * The context a selection weighs: what {@link detectContext} returns, or any part of it
 * (tests and callers inject their own). Facts left out count as unknown, not as false.
 * `runtime` is any string here, as in core's `RuntimeContext`.
 */
export type SelectionContext = Omit<Partial<DetectedContext>, 'runtime'> & RuntimeContext;

/** The name a rule returns to run a task directly, with no strategy (only for tasks without a time limit). */
export const directRun = 'direct';

/** What a rule decides: the name of a strategy (or {@link directRun}) and why, in a sentence. */
export interface RuleDecision {
  /** The strategy's `name` (`worker`, `process`, `thread`…), or `direct`. */
  readonly strategy: string;
  /** Why, in a sentence that names the task. */
  readonly reason: string;
  /**
   * A warning to emit when this decision is taken (the soft fallback has one): through the
   * logger's `warn`, else `process.emitWarning`.
   */
  readonly warning?: string;
}

/** What a rule sees besides the task and the context. */
export interface SelectionSituation {
  /** The time limit that applies: the task's own, or the caller's override. `Infinity` for none. */
  readonly timeout: number;
  /** The names of the candidate strategies, in the order given. */
  readonly strategyNames: readonly string[];
  /**
   * Records why a strategy is not used, and rules it out for the rules after this one; the
   * first reason given for a name is kept.
   */
  passOver(name: string, reason: string): void;
  /** The reason recorded so far for passing over `name`, if any. */
  passedOverReason(name: string): string | undefined;
}

/**
 * One step of a selector: looks at the task and the context and either names a strategy
 * with a reason, or returns `undefined` to let the next rule decide. A rule that chooses a
 * strategy which is not among the candidates, or whose `supports()` refuses the task, is
 * passed by too; the refusal is recorded.
 */
export interface SelectionRule {
  /** A short kebab-case name, shown in a selection's `rule`. */
  readonly name: string;
  /** Decides, or returns `undefined` to pass. */
  select(
    task: AnyTask,
    context: SelectionContext,
    situation: SelectionSituation,
  ): RuleDecision | undefined;
}

/** A strategy that was not chosen, and why. */
export interface PassedOverStrategy {
  /** The strategy's name. */
  readonly name: string;
  /** The strategy, when it was among the candidates (absent when a rule named one that was not). */
  readonly strategy?: TimeoutStrategy;
  /** Why it was not chosen. */
  readonly reason: string;
}

/** The outcome of a selection: what runs the task, why, and what was passed over. */
export interface StrategySelection {
  /** The chosen strategy; `null` when the task runs directly (it has no time limit). */
  readonly strategy: TimeoutStrategy | null;
  /** The chosen strategy's name, or `direct`. */
  readonly name: string;
  /** `hard` (the task is stopped), `soft` (the caller gets the error, the task runs on) or `none` (no limit). */
  readonly enforcement: 'hard' | 'soft' | 'none';
  /** Why, in a sentence that names the task. */
  readonly reason: string;
  /** The name of the rule that decided. */
  readonly rule: string;
  /** The warning emitted with this choice, when there was one. */
  readonly warning?: string;
  /** The candidates not chosen, each with its reason. */
  readonly passedOver: readonly PassedOverStrategy[];
  /** The context the selection weighed. */
  readonly context: SelectionContext;
}

/** Options of {@link selectStrategy} and of a selector's `select`. */
export interface SelectOptions {
  /** The candidates: only these can be chosen. Any subset works, even an empty one. */
  readonly strategies: readonly TimeoutStrategy[];
  /** The context to weigh; {@link detectContext} when absent. Used as given, not merged. */
  readonly context?: SelectionContext | undefined;
  /** Where the soft-fallback warning goes; `process.emitWarning` (once per task) when absent. */
  readonly logger?: Logger | undefined;
  /** A time limit for this run, instead of the task's own. */
  readonly timeout?: number | undefined;
  /** Emit the decision's warning. Default `true`; `false` to only look (as `explain` does). */
  readonly warn?: boolean | undefined;
}

/** A composed list of rules that selects a strategy for a task. */
export interface Selector {
  /** The rules, in the order they are asked. */
  readonly rules: readonly SelectionRule[];
  /** Asks the rules in order and returns the first decision a candidate accepts. */
  select(task: AnyTask, options: SelectOptions): StrategySelection;
}
