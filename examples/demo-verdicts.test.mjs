// The demo's verdicts on fabricated measurements: a bad measurement must print a bad verdict,
// with the number and the threshold it was judged by.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  hostDelayThresholdMs,
  isProcessRunning,
  judgeFinished,
  judgeHostDelay,
  judgeStopped,
  judgeTimeout,
  pastLimitBoundMs,
  processStateFromStat,
  stoppedBoundMs,
} from './demo-verdicts.mjs';

describe('judgeHostDelay', () => {
  it('calls the host responsive under the threshold, printing both numbers', () => {
    const verdict = judgeHostDelay(12.4);
    expect(verdict.ok).toBe(true);
    expect(verdict.text).toContain('12 ms');
    expect(verdict.text).toContain(`${hostDelayThresholdMs} ms threshold`);
  });

  it('says the host was not responsive at or over the threshold', () => {
    for (const delay of [hostDelayThresholdMs, 480]) {
      const verdict = judgeHostDelay(delay);
      expect(verdict.ok).toBe(false);
      expect(verdict.text).toContain('NOT responsive');
      expect(verdict.text).toContain(`${delay} ms`);
    }
  });

  it('takes a threshold of its own', () => {
    expect(judgeHostDelay(30, 20).ok).toBe(false);
    expect(judgeHostDelay(30, 40).ok).toBe(true);
  });
});

describe('judgeTimeout', () => {
  it('passes a task stopped within the bound and says how long the start-up took', () => {
    const verdict = judgeTimeout({ limitMs: 300, ranMs: 301, callToErrorMs: 520 });
    expect(verdict.ok).toBe(true);
    expect(verdict.text).toContain('1 ms past its 300 ms limit');
    expect(verdict.text).toContain(`within the ${pastLimitBoundMs} ms bound`);
    expect(verdict.text).toContain(
      'the caller waited 520 ms, 219 ms of it before the task started',
    );
  });

  it('fails a task that ran past the bound, printing the number', () => {
    const verdict = judgeTimeout({ limitMs: 300, ranMs: 548, callToErrorMs: 548 });
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toContain('248 ms past its 300 ms limit');
    expect(verdict.text).toContain(`OVER the ${pastLimitBoundMs} ms bound`);
  });

  it('fails a timeout that came before the limit', () => {
    const verdict = judgeTimeout({ limitMs: 300, ranMs: 120, callToErrorMs: 130 });
    expect(verdict.ok).toBe(false);
    expect(verdict.text).toContain('BEFORE its limit');
  });
});

describe('judgeFinished', () => {
  it('passes a task that finished within its limit and fails one that took longer', () => {
    expect(judgeFinished({ limitMs: 2_000, tookMs: 62 })).toEqual({
      ok: true,
      text: 'finished in 62 ms, within its 2000 ms limit',
    });
    expect(judgeFinished({ limitMs: 2_000, tookMs: 2_400 }).ok).toBe(false);
  });
});

describe('judgeStopped', () => {
  it('passes what was gone within the bound', () => {
    const verdict = judgeStopped(117, 'the program');
    expect(verdict.ok).toBe(true);
    expect(verdict.text).toBe(
      `yes: the program gone 117 ms after the error (bound ${stoppedBoundMs} ms)`,
    );
  });

  it('fails what was gone late, and what was still running', () => {
    expect(judgeStopped(stoppedBoundMs + 1, 'the program').text).toContain('LATE');
    const running = judgeStopped(undefined, 'the program');
    expect(running.ok).toBe(false);
    expect(running.text).toContain('NO: the program still running');
  });
});

describe('processStateFromStat', () => {
  it('reads the state after the command name, even a name with spaces and parentheses', () => {
    expect(processStateFromStat('1234 (sleep) Z 1 1234 1234 0 -1')).toBe('Z');
    expect(processStateFromStat('77 (a (b) c) S 1 77 77 0 -1')).toBe('S');
  });
});

describe.runIf(process.platform === 'linux')('isProcessRunning', () => {
  it('sees a running process, and not one that has exited', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(child, 'spawn');
    try {
      expect(isProcessRunning(child.pid)).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(isProcessRunning(child.pid)).toBe(false);
  });

  it('counts a zombie as gone, where signal 0 still reaches it', async () => {
    // `sleep 0` exits at once; its parent then becomes `sleep 30`, which never collects it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const [firstOutput] = await once(parent.stdout, 'data');
      const zombie = Number(String(firstOutput).trim());
      const deadline = Date.now() + 5_000;
      while (processStateFromStat(readFileSync(`/proc/${zombie}/stat`, 'utf8')) !== 'Z') {
        if (Date.now() > deadline) throw new Error(`process ${zombie} never became a zombie`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isProcessRunning(zombie)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
      await once(parent, 'exit');
    }
  });
});
