import type { TaskResponse } from './task-request.js';

/**
 * Posts a task's response from inside a thread (a worker thread or a Web Worker) with
 * `post`; when `postMessage` refuses the result or the error (it cannot be cloned), posts
 * an `unserializable` response that says why instead, so the host settles the task with a
 * `TaskSerializationError` rather than waiting for it.
 */
export function postTaskResponse(
  post: (response: TaskResponse) => void,
  response: TaskResponse,
): void {
  try {
    post(response);
  } catch (error) {
    const subject = response.outcome === 'rejected' ? 'error' : 'result';
    post({
      outcome: 'unserializable',
      subject,
      path: subject,
      reason: `postMessage refused it: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
