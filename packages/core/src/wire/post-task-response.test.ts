import { describe, expect, it } from 'vitest';
import { postTaskResponse } from './post-task-response.js';
import type { TaskResponse } from './task-request.js';

describe('postTaskResponse', () => {
  it('posts the response as it is when the transport takes it', () => {
    const posted: TaskResponse[] = [];
    const response = { outcome: 'fulfilled', value: 42 } as unknown as TaskResponse;
    postTaskResponse((message) => posted.push(message), response);
    expect(posted).toEqual([response]);
  });

  it('posts an unserializable response naming the error when the transport refuses it', () => {
    const posted: TaskResponse[] = [];
    const refused = { outcome: 'rejected' } as unknown as TaskResponse;
    postTaskResponse((message) => {
      if (message === refused) throw new DOMException('could not be cloned', 'DataCloneError');
      posted.push(message);
    }, refused);
    expect(posted).toEqual([
      {
        outcome: 'unserializable',
        subject: 'error',
        path: 'error',
        reason: 'postMessage refused it: could not be cloned',
      },
    ]);
  });
});
