import {
  type SerializationSubject,
  TaskSerializationError,
} from '../errors/task-serialization-error.js';
import { type CloneBoundary, findUncloneable } from './find-uncloneable.js';

/**
 * Throws a `TaskSerializationError` naming the task, the subject and the path when `value`
 * cannot cross the `boundary` (a thread's by default, or a process's) intact; returns quietly
 * otherwise.
 *
 * @example
 * ```ts
 * assertCloneable('resize', 'argument', args, 'args'); // throws for args[1].handler = () => {}
 * ```
 */
export function assertCloneable(
  taskName: string,
  subject: SerializationSubject,
  value: unknown,
  path: string,
  boundary: CloneBoundary = 'thread',
): void {
  const found = findUncloneable(value, path, boundary);
  if (found) {
    throw new TaskSerializationError({ taskName, subject, path: found.path, reason: found.reason });
  }
}
