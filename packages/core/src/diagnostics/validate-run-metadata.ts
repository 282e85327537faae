import { describeValue } from '../describe-value.js';
import type { RunMetadata } from './run-message.js';

/**
 * Checks the `metadata` option of a run: `undefined` or a plain object of facts (not an
 * array, not a function). Throws a `TypeError` naming the task and the value otherwise.
 */
export function validateRunMetadata(taskName: string, metadata: unknown): RunMetadata | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(
      `Task '${taskName}': options.metadata must be an object of facts about the run (such as { jobId, queue }), got ${describeValue(metadata)}`,
    );
  }
  return metadata as RunMetadata;
}
