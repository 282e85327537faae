import { describe, expect, it } from 'vitest';
import { inlineFunctionSupport } from './index.js';

describe('inlineFunctionSupport', () => {
  it('refuses a bound function with the reason', () => {
    const support = inlineFunctionSupport(
      function add(a: number) {
        return a;
      }.bind(null),
    );
    expect(support).toMatchObject({ supported: false });
    expect(support.supported === false && support.reason).toMatch(/bound function \(add\)/);
  });
});
