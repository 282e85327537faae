import { describe, expect, it } from 'vitest';
import * as root from './index.js';
import * as kit from './strategy-kit.js';

describe('the public surface', () => {
  it('keeps what strategy authors need out of the root entry', () => {
    for (const name of [
      'createTaskRequest',
      'executeTaskRequest',
      'deserializeThrown',
      'setCurrentTaskContext',
      'hasBrand',
    ]) {
      expect(Object.keys(root)).not.toContain(name);
      expect(Object.keys(kit)).toContain(name);
    }
  });

  it('exports no way to set a brand, so that no code can forge a guard match through the API', () => {
    expect(Object.keys(root)).not.toContain('setBrand');
    expect(Object.keys(kit)).not.toContain('setBrand');
  });
});
