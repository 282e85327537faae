import type { TimeboxError } from 'timebox';

/**
 * The name and fields of a timebox error as a job stores them: `name`, `taskName`, and the
 * error's own fields (`timeout`, `elapsed`, `strategy`, `enforcement`, `stillRunning` for a
 * `TaskTimeoutError`; `reason`, `exitCode`, `signal`, `pid`… for a `TaskCrashedError`;
 * `phase` and `cause` for a `TaskAbortedError`). An error or object `cause` is kept as
 * `"Name: message"`.
 */
export interface TaskFailureRecord {
  /** The error's name, such as `TaskTimeoutError`. */
  readonly name: string;
  /** The task that failed. */
  readonly taskName: string;
  /** The error's other fields, as JSON values. */
  readonly [field: string]: string | number | boolean | null;
}

/** What the record's line in a stack trace starts with. */
export const failureRecordPrefix = '    timebox: ';

const failureRecordLine = /^ {4}timebox: (\{.*\})$/m;

/** The {@link TaskFailureRecord} of a timebox error. */
export function failureRecordOf(error: TimeboxError): TaskFailureRecord {
  const record: Record<string, string | number | boolean | null> = {
    name: error.name,
    taskName: error.taskName,
  };
  for (const [key, value] of Object.entries(error)) {
    if (key in record || key === 'message' || key === 'stack' || key === 'cause') continue;
    const field = jsonField(value);
    if (field !== undefined) record[key] = field;
  }
  if (error.cause !== undefined) record.cause = describeCause(error.cause);
  return record as TaskFailureRecord;
}

/**
 * Writes the error's {@link TaskFailureRecord} into its `stack`, on a line of its own after
 * the message, so that BullMQ stores it with the job's stack trace. Returns the error.
 */
export function recordFailureInStack<E extends TimeboxError>(error: E): E {
  const stack = error.stack;
  if (typeof stack !== 'string' || failureRecordLine.test(stack)) return error;
  const line = `${failureRecordPrefix}${JSON.stringify(failureRecordOf(error))}`;
  const header = `${error.name}: ${error.message}`;
  const annotated = stack.startsWith(header)
    ? `${header}\n${line}${stack.slice(header.length)}`
    : `${stack}\n${line}`;
  try {
    error.stack = annotated;
  } catch {
    // A frozen error keeps its stack; its message still names the task.
  }
  return error;
}

/** The {@link TaskFailureRecord} a stack trace carries, if any. */
export function parseFailureRecord(stack: string): TaskFailureRecord | undefined {
  const match = failureRecordLine.exec(stack);
  if (match === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(match[1]!);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { name?: unknown }).name === 'string' &&
      typeof (parsed as { taskName?: unknown }).taskName === 'string'
    ) {
      return parsed as TaskFailureRecord;
    }
  } catch {
    // Not a record written by this package.
  }
  return undefined;
}

function jsonField(value: unknown): string | number | boolean | null | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return undefined;
}

function describeCause(cause: unknown): string | number | boolean | null {
  const field = jsonField(cause);
  if (field !== undefined) return field;
  if (typeof cause === 'object') {
    const { name, message } = cause as { name?: unknown; message?: unknown };
    if (typeof message === 'string') {
      return typeof name === 'string' ? `${name}: ${message}` : message;
    }
  }
  return String(cause);
}
