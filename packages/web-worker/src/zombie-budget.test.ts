import { describe, expect, it } from 'vitest';
import { ZombieBudget } from './zombie-budget.js';

describe('ZombieBudget', () => {
  it('counts nothing where terminate() stops a worker at once', () => {
    const budget = new ZombieBudget(1, 0, () => {});
    budget.add();
    budget.add();
    expect(budget.count).toBe(0);
    expect(budget.allowsStart).toBe(true);
  });

  it('holds starts back while full, and releases each after the runtime surely stopped it', async () => {
    let released!: () => void;
    const release = new Promise<void>((resolve) => {
      released = resolve;
    });
    const budget = new ZombieBudget(1, 20, () => released());
    budget.add();
    expect(budget).toMatchObject({ count: 1, allowsStart: false, exhaustedForever: false });
    await release;
    expect(budget).toMatchObject({ count: 0, allowsStart: true });
  });

  it('is full for good where the runtime never stops a busy worker (Deno)', () => {
    const budget = new ZombieBudget(2, Infinity, () => {});
    budget.add();
    expect(budget.allowsStart).toBe(true);
    budget.add();
    expect(budget).toMatchObject({ count: 2, allowsStart: false, exhaustedForever: true });
    budget.close();
  });
});
