import { deserializeThrown } from '../codec/deserialize-thrown.js';
import { TaskSerializationError } from '../errors/task-serialization-error.js';
import type { TaskResponse } from './task-request.js';

/**
 * Turns a response from a worker or child process back into the task's outcome on the
 * host: returns the value, or throws the task's error (rebuilt with its class name,
 * message, stack, cause and fields) or a `TaskSerializationError`.
 */
export function settleTaskResponse<Result>(taskName: string, response: TaskResponse): Result {
  switch (response.outcome) {
    case 'fulfilled':
      return response.value as Result;
    case 'rejected':
      throw deserializeThrown(response.error);
    case 'unserializable':
      throw new TaskSerializationError({
        taskName,
        subject: response.subject,
        path: response.path,
        reason: response.reason,
        ...(response.cause === undefined ? {} : { cause: deserializeThrown(response.cause) }),
      });
  }
}
