import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { statsLine } from './stats-line.mjs';

describe('the stats() example', () => {
  it('renders counts and percentile groups of a StrategyStats on one line', () => {
    const stats = {
      queued: 3,
      running: 2,
      idleRunners: 0,
      spareRunners: 1,
      completed: 120,
      timedOut: 4,
      crashed: 0,
      kills: 4,
      waitTime: { p50: 0.42, p90: 3.5, p99: 12 },
    };
    expect(statsLine(stats)).toBe(
      'queued 3, running 2, idleRunners 0, spareRunners 1, completed 120, timedOut 4, crashed 0, kills 4, waitTime {p50 0.4 p90 3.5 p99 12.0} ms',
    );
  });

  it('runs to the end and prints the stats once a second, or says the strategy has none', () => {
    const script = fileURLToPath(new URL('./print-stats.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script, '--seconds=2'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    if (lines[0]?.includes('has no stats()')) {
      expect(lines).toEqual([
        'this version of the worker strategy has no stats(); nothing to print',
      ]);
    } else {
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line).toMatch(/^\w+ \S+(, \w+ .+)*$/);
    }
  });
});
