import { describe, expect, it } from 'vitest';
import { rejectionOf } from './test-helpers.js';

describe('rejectionOf (test helper)', () => {
  it('returns the reason of a rejection', async () => {
    const reason = new Error('no');
    await expect(rejectionOf(Promise.reject(reason))).resolves.toBe(reason);
  });

  it('throws when the promise fulfils, instead of returning its own error', async () => {
    await expect(rejectionOf(Promise.resolve(42))).rejects.toThrow('expected a rejection, got 42');
  });
});
