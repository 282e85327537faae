import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processStrategy } from './index.js';
import { resolveProcessStrategyOptions } from './process-strategy-options.js';
import { childrenOf } from './test-support/processes.js';

describe('processStrategy options', () => {
  it('applies the defaults', () => {
    const resolved = resolveProcessStrategyOptions(undefined);
    expect(resolved).toMatchObject({
      maxProcesses: Math.max(1, availableParallelism() - 1),
      spareProcesses: 1,
      graceMs: 100,
      killTimeoutMs: 1_000,
      env: undefined,
      cwd: undefined,
      stdio: 'inherit',
      onOutput: undefined,
      maxPendingOutputBytes: 1_048_576,
      idleTimeout: 30_000,
      maxQueue: Infinity,
      startTimeout: 10_000,
      startAttempts: 3,
      exitTimeout: 6_000,
    });
  });

  it('inherits the host execArgv without debugger flags by default', () => {
    const saved = process.execArgv;
    Object.defineProperty(process, 'execArgv', {
      value: ['--inspect=9229', '--max-old-space-size=100', '--inspect-brk', '--debug-port=1'],
      configurable: true,
      writable: true,
    });
    try {
      expect(resolveProcessStrategyOptions({}).execArgv).toEqual(['--max-old-space-size=100']);
    } finally {
      Object.defineProperty(process, 'execArgv', {
        value: saved,
        configurable: true,
        writable: true,
      });
    }
  });

  it('accepts good values, a cwd URL, Infinity for every duration (graceMs: Infinity waits for the task)', () => {
    const onOutput = () => {};
    const resolved = resolveProcessStrategyOptions({
      maxProcesses: 4,
      spareProcesses: 0,
      graceMs: Infinity,
      killTimeoutMs: 50,
      env: { PATH: '/usr/bin', UNSET: undefined },
      cwd: pathToFileURL(process.cwd()),
      execArgv: ['--no-warnings'],
      stdio: 'pipe',
      onOutput,
      maxPendingOutputBytes: Infinity,
      idleTimeout: Infinity,
      maxQueue: 0,
      startTimeout: 2 ** 31,
      exitTimeout: Infinity,
    });
    expect(resolved).toMatchObject({
      maxProcesses: 4,
      spareProcesses: 0,
      graceMs: Infinity,
      killTimeoutMs: 50,
      env: { PATH: '/usr/bin', UNSET: undefined },
      cwd: process.cwd(),
      execArgv: ['--no-warnings'],
      stdio: 'pipe',
      onOutput,
      maxPendingOutputBytes: Infinity,
      idleTimeout: Infinity,
      maxQueue: 0,
      startTimeout: 2 ** 31,
      exitTimeout: Infinity,
      startAttempts: 3,
    });
  });

  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ['options', 'fast', TypeError, /options must be an object, got "fast"/],
    [
      'an unknown option',
      { maxProcess: 2 },
      TypeError,
      /no option "maxProcess"; the options are maxProcesses, spareProcesses, killTimeoutMs, env, cwd, execArgv, stdio, onOutput, maxPendingOutputBytes, graceMs, idleTimeout, maxQueue, startTimeout, startAttempts, exitTimeout, logger$/,
    ],
    ['logger', { logger: {} }, TypeError, /option logger must have debug, info, warn and error/],
    [
      'maxProcesses',
      { maxProcesses: '2' },
      TypeError,
      /maxProcesses must be an integer from 1 to 1024, got "2"/,
    ],
    [
      'maxProcesses',
      { maxProcesses: Number.NaN },
      RangeError,
      /maxProcesses must be an integer from 1 to 1024, got NaN/,
    ],
    [
      'maxProcesses',
      { maxProcesses: 0 },
      RangeError,
      /maxProcesses must be an integer from 1 to 1024, got 0/,
    ],
    ['maxProcesses', { maxProcesses: 1.5 }, RangeError, /maxProcesses .* got 1.5/],
    ['maxProcesses', { maxProcesses: Infinity }, RangeError, /maxProcesses .* got Infinity/],
    ['maxProcesses', { maxProcesses: 1e6 }, RangeError, /from 1 to 1024, got 1000000/],
    ['spareProcesses', { spareProcesses: 1e9 }, RangeError, /from 0 to 64, got 1000000000/],
    [
      'spareProcesses',
      { spareProcesses: -1 },
      RangeError,
      /spareProcesses must be an integer from 0 to 64, got -1/,
    ],
    [
      'spareProcesses',
      { spareProcesses: null },
      TypeError,
      /spareProcesses must be an integer from 0 to 64, got null/,
    ],
    [
      'graceMs',
      { graceMs: -5 },
      RangeError,
      /graceMs must be a number of milliseconds of at least 0 \(Infinity allowed\), got -5/,
    ],
    [
      'graceMs',
      { graceMs: '100' },
      TypeError,
      /graceMs must be a number of milliseconds, got "100"/,
    ],
    ['killTimeoutMs', { killTimeoutMs: -1 }, RangeError, /killTimeoutMs .* got -1/],
    [
      'killTimeoutMs',
      { killTimeoutMs: Number.NaN },
      RangeError,
      /killTimeoutMs must be a number of milliseconds of at least 0 \(Infinity allowed\), got NaN/,
    ],
    [
      'maxPendingOutputBytes',
      { maxPendingOutputBytes: 0 },
      RangeError,
      /maxPendingOutputBytes must be an integer of at least 1 or Infinity, got 0/,
    ],
    [
      'maxPendingOutputBytes',
      { maxPendingOutputBytes: 1024.5 },
      RangeError,
      /maxPendingOutputBytes .* got 1024.5/,
    ],
    [
      'maxPendingOutputBytes',
      { maxPendingOutputBytes: '1MB' },
      TypeError,
      /maxPendingOutputBytes must be an integer of at least 1 or Infinity, got "1MB"/,
    ],
    [
      'idleTimeout',
      { idleTimeout: -1 },
      RangeError,
      /idleTimeout must be a number of milliseconds of at least 0 \(Infinity allowed\), got -1/,
    ],
    [
      'idleTimeout',
      { idleTimeout: true },
      TypeError,
      /idleTimeout must be a number of milliseconds, got true/,
    ],
    [
      'maxQueue',
      { maxQueue: -1 },
      RangeError,
      /maxQueue must be an integer of at least 0 or Infinity, got -1/,
    ],
    ['maxQueue', { maxQueue: 2.5 }, RangeError, /maxQueue .* got 2.5/],
    ['env', { env: 'PATH=/bin' }, TypeError, /env must be an object of strings, got "PATH=\/bin"/],
    [
      'env',
      { env: ['PATH'] },
      TypeError,
      /env must be an object of strings, got an array of length 1/,
    ],
    ['env', { env: { PORT: 8080 } }, TypeError, /env.PORT must be a string, got 8080/],
    ['cwd', { cwd: 42 }, TypeError, /cwd must be a path or a file: URL, got 42/],
    ['cwd', { cwd: '' }, TypeError, /cwd must be a path or a file: URL, got ""/],
    [
      'cwd',
      { cwd: new URL('https://example.com/') },
      TypeError,
      /cwd must be a path or a file: URL, got "https:\/\/example.com\/"/,
    ],
    [
      'cwd',
      { cwd: '/no/such/directory' },
      RangeError,
      /cwd must exist, got "\/no\/such\/directory"/,
    ],
    ['cwd', { cwd: '/etc/hostname' }, RangeError, /cwd must be a directory, got "\/etc\/hostname"/],
    [
      'execArgv',
      { execArgv: '--no-warnings' },
      TypeError,
      /execArgv must be an array of strings, got "--no-warnings"/,
    ],
    [
      'execArgv',
      { execArgv: ['--no-warnings', 1] },
      TypeError,
      /execArgv\[1\] must be a string, got 1/,
    ],
    [
      'stdio',
      { stdio: 'inherited' },
      TypeError,
      /stdio must be 'inherit', 'pipe' or 'ignore', got "inherited"/,
    ],
    [
      'onOutput',
      { stdio: 'pipe', onOutput: 'console' },
      TypeError,
      /onOutput must be a function, got "console"/,
    ],
    [
      'onOutput',
      { onOutput: () => {} },
      TypeError,
      /onOutput .* needs stdio: 'pipe'; stdio is "inherit"/,
    ],
  ])('rejects a bad %s: %o', (_option, options, ErrorClass, message) => {
    const attempt = () => processStrategy(options as Parameters<typeof processStrategy>[0]);
    expect(attempt).toThrow(ErrorClass);
    expect(attempt).toThrow(message);
  });

  it('starts no process until the first task', async () => {
    const strategy = processStrategy();
    expect(childrenOf(process.pid)).toEqual([]);
    await strategy.close();
  });
});
