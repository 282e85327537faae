import { isLogger } from '@timebox/core';
import { describeValue } from '@timebox/core/strategy-kit';

/**
 * How one option is checked. `count`: an integer from `minimum` to `maximum` (the upper
 * bound is stated in the error), or `Infinity` when `infinity` allows it. `duration`: a
 * number of milliseconds of at least 0, up to and including `Infinity`, which keeps its
 * meaning (wait forever, never retire). `logger`: an object with `debug`, `info`, `warn`
 * and `error` methods. `other`: checked by the strategy itself.
 */
export type OptionRule =
  | {
      readonly kind: 'count';
      readonly minimum: number;
      readonly maximum: number;
      readonly infinity?: boolean;
    }
  | { readonly kind: 'duration' }
  | { readonly kind: 'logger' }
  | { readonly kind: 'other' };

/** The rules of every option a strategy knows, by name. */
export type OptionRules = Readonly<Record<string, OptionRule>>;

/**
 * Checks a strategy's options object against `rules` with one rule for every strategy:
 * an options value that is not an object, an unknown option name (the error lists the
 * known ones) and a value of the wrong type are `TypeError`s; a number out of range (NaN,
 * negative, not an integer, above the stated bound) is a `RangeError`. Each error names
 * the factory (`factoryName`, such as `workerStrategy()`), the option and the value.
 * Returns the options as given (absent ones stay `undefined`) for the strategy to apply
 * its defaults; `other` options are returned unchecked.
 */
export function checkStrategyOptions(
  factoryName: string,
  options: unknown,
  rules: OptionRules,
): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${factoryName} options must be an object, got ${describeValue(options)}`);
  }
  const given = options as Record<string, unknown>;
  const known = Object.keys(rules);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(rules, name)) {
      throw new TypeError(
        `${factoryName} has no option ${describeValue(name)}; the options are ${known.join(', ')}`,
      );
    }
  }
  for (const name of known) {
    const rule = rules[name];
    const value = given[name];
    if (value === undefined || rule === undefined) continue;
    if (rule.kind === 'count') checkCount(factoryName, name, value, rule);
    else if (rule.kind === 'duration') checkDuration(factoryName, name, value);
    else if (rule.kind === 'logger' && !isLogger(value)) {
      throw new TypeError(
        `${factoryName} option ${name} must have debug, info, warn and error methods (console and pino loggers do), got ${describeValue(value)}`,
      );
    }
  }
  return given;
}

function checkCount(
  factoryName: string,
  name: string,
  value: unknown,
  rule: Extract<OptionRule, { kind: 'count' }>,
): void {
  const range =
    rule.maximum === Infinity
      ? `an integer of at least ${rule.minimum}`
      : `an integer from ${rule.minimum} to ${rule.maximum}`;
  const expected = `${range}${rule.infinity === true ? ' or Infinity' : ''}`;
  const problem = `${factoryName} option ${name} must be ${expected}, got ${describeValue(value)}`;
  if (typeof value !== 'number') throw new TypeError(problem);
  if (value === Infinity && rule.infinity === true) return;
  if (!Number.isInteger(value) || value < rule.minimum || value > rule.maximum) {
    throw new RangeError(problem);
  }
}

function checkDuration(factoryName: string, name: string, value: unknown): void {
  if (typeof value !== 'number') {
    throw new TypeError(
      `${factoryName} option ${name} must be a number of milliseconds, got ${describeValue(value)}`,
    );
  }
  if (Number.isNaN(value) || value < 0) {
    throw new RangeError(
      `${factoryName} option ${name} must be a number of milliseconds of at least 0 (Infinity allowed), got ${describeValue(value)}`,
    );
  }
}
