import { describe, expect, it } from 'vitest';
import { detectRuntimeTermination } from './runtime-termination.js';

describe('detectRuntimeTermination', () => {
  it('knows this Chromium stops a busy worker late, and says so', () => {
    expect(detectRuntimeTermination()).toMatchObject({
      runtime: 'Chromium',
      stoppedWithinMs: 3_000,
      stillRunningReason: expect.stringContaining('about 2 s after terminate()'),
    });
  });

  it('says Deno never stops a busy worker, and that Bun and Firefox stop it at once', () => {
    expect(detectRuntimeTermination({ Deno: {} })).toMatchObject({
      runtime: 'Deno',
      stoppedWithinMs: Infinity,
      stillRunningReason: expect.stringContaining('Deno does not stop a worker'),
    });
    expect(detectRuntimeTermination({ Bun: {} })).toEqual({
      runtime: 'Bun',
      stillRunningReason: undefined,
      stoppedWithinMs: 0,
    });
    const firefox = { navigator: { userAgent: 'Mozilla/5.0 (X11; Linux) Firefox/153.0' } };
    expect(detectRuntimeTermination(firefox).stillRunningReason).toBeUndefined();
    expect(detectRuntimeTermination({}).stillRunningReason).toContain('this runtime does not say');
  });
});
