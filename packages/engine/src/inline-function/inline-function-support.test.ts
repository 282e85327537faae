import { describe, expect, it } from 'vitest';
import { inlineFunctionSupport } from './inline-function-support.js';

describe('inlineFunctionSupport', () => {
  it('accepts a self-contained function', () => {
    expect(inlineFunctionSupport((n: number) => n * 2)).toEqual({ supported: true });
  });

  it('refuses a closure with the reason, the same object each time', () => {
    const factor = 3;
    const run = (n: number) => n * factor;
    const support = inlineFunctionSupport(run);
    expect(support).toEqual({
      supported: false,
      reason: expect.stringMatching(/^the inline function reads factor from its enclosing scope/),
    });
    expect(inlineFunctionSupport(run)).toBe(support);
  });

  it('refuses a bound function with the reason', () => {
    const support = inlineFunctionSupport(
      function add(a: number) {
        return a;
      }.bind(null),
    );
    expect(support.supported === false && support.reason).toMatch(/bound function \(add\)/);
  });
});
