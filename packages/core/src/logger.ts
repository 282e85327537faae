import { describeValue } from './describe-value.js';

/** One logging method: a message, then optional structured fields. */
export type LogMethod = (message: string, ...details: unknown[]) => void;

/**
 * Where timebox writes its log lines: anything with `debug`, `info`, `warn` and `error`
 * methods, such as `console` or a pino logger. Every line names its task.
 */
export interface Logger {
  /** Detail for troubleshooting: a task starts, a worker is replaced. */
  debug: LogMethod;
  /** Normal events worth keeping. */
  info: LogMethod;
  /** Something the user should act on: a soft timeout, an overrun. */
  warn: LogMethod;
  /** A failure of timebox itself. */
  error: LogMethod;
}

const doNothing: LogMethod = () => {};

/** A logger that drops every line; the default when none is given. */
export const silentLogger: Logger = Object.freeze({
  debug: doNothing,
  info: doNothing,
  warn: doNothing,
  error: doNothing,
});

const logMethodNames = ['debug', 'info', 'warn', 'error'] as const;

/** Whether `value` has the four methods of a {@link Logger}. */
export function isLogger(value: unknown): value is Logger {
  return (
    typeof value === 'object' &&
    value !== null &&
    logMethodNames.every(
      (method) => typeof (value as Record<string, unknown>)[method] === 'function',
    )
  );
}

/**
 * Checks a logger option and returns it (or {@link silentLogger} when absent). Throws a
 * `TypeError` that names the task and the missing methods.
 */
export function validateLogger(taskName: string, logger: unknown): Logger {
  if (logger === undefined) return silentLogger;
  if (isLogger(logger)) return logger;
  const missing =
    typeof logger === 'object' && logger !== null
      ? logMethodNames.filter(
          (method) => typeof (logger as Record<string, unknown>)[method] !== 'function',
        )
      : logMethodNames;
  throw new TypeError(
    `Task '${taskName}': logger must have debug, info, warn and error methods (console and pino loggers do); ${describeValue(logger)} lacks ${missing.join(', ')}`,
  );
}
