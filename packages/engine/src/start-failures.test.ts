import { describe, expect, it } from 'vitest';
import { StartFailures } from './start-failures.js';

describe('StartFailures', () => {
  it('lets a task wait for another start until startAttempts starts in a row failed', () => {
    const failures = new StartFailures(3);
    expect(failures.failed()).toBe(true);
    expect(failures.failed()).toBe(true);
    expect(failures.failed()).toBe(false);
    expect(failures.mayStart).toBe(false);
    expect(failures.inARow).toBe(3);
  });

  it('counts again from zero after a ready runner or a rejected task', () => {
    const failures = new StartFailures(2);
    failures.failed();
    failures.succeeded();
    expect(failures.inARow).toBe(0);
    failures.failed();
    failures.failed();
    failures.gaveUp();
    expect(failures.mayStart).toBe(true);
    expect(failures.failed()).toBe(true);
  });
});
