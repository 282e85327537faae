import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processStrategy } from '../dist/index.js';
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

  it('accepts good values, a cwd URL, Infinity where it means "no limit"', () => {
    const onOutput = () => {};
    const resolved = resolveProcessStrategyOptions({
      maxProcesses: 4,
      spareProcesses: 0,
      graceMs: 0,
      killTimeoutMs: 50,
      env: { PATH: '/usr/bin', UNSET: undefined },
      cwd: pathToFileURL(process.cwd()),
      execArgv: ['--no-warnings'],
      stdio: 'pipe',
      onOutput,
      maxPendingOutputBytes: Infinity,
      idleTimeout: Infinity,
      maxQueue: 0,
    });
    expect(resolved).toEqual({
      maxProcesses: 4,
      spareProcesses: 0,
      graceMs: 0,
      killTimeoutMs: 50,
      env: { PATH: '/usr/bin', UNSET: undefined },
      cwd: process.cwd(),
      execArgv: ['--no-warnings'],
      stdio: 'pipe',
      onOutput,
      maxPendingOutputBytes: Infinity,
      idleTimeout: Infinity,
      maxQueue: 0,
    });
  });

  it.each<[string, unknown, ErrorConstructor, RegExp]>([
    ['options', 'fast', TypeError, /options must be an object, got "fast"/],
    ['an unknown option', { maxProcess: 2 }, TypeError, /no option "maxProcess"/],
    [
      'maxProcesses',
      { maxProcesses: '2' },
      TypeError,
      /maxProcesses must be a whole number, got "2"/,
    ],
    [
      'maxProcesses',
      { maxProcesses: Number.NaN },
      TypeError,
      /maxProcesses must be a whole number, got NaN/,
    ],
    [
      'maxProcesses',
      { maxProcesses: 0 },
      RangeError,
      /maxProcesses must be a whole number of at least 1, got 0/,
    ],
    ['maxProcesses', { maxProcesses: 1.5 }, RangeError, /maxProcesses .* got 1.5/],
    ['maxProcesses', { maxProcesses: Infinity }, RangeError, /maxProcesses .* got Infinity/],
    [
      'spareProcesses',
      { spareProcesses: -1 },
      RangeError,
      /spareProcesses must be a whole number of at least 0, got -1/,
    ],
    [
      'spareProcesses',
      { spareProcesses: null },
      TypeError,
      /spareProcesses must be a whole number, got null/,
    ],
    [
      'graceMs',
      { graceMs: -5 },
      RangeError,
      /graceMs must be a finite, non-negative number of milliseconds, got -5/,
    ],
    ['graceMs', { graceMs: Infinity }, RangeError, /graceMs .* got Infinity/],
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
      TypeError,
      /killTimeoutMs must be a number of milliseconds, got NaN/,
    ],
    [
      'maxPendingOutputBytes',
      { maxPendingOutputBytes: 0 },
      RangeError,
      /maxPendingOutputBytes must be a whole number of at least 1 \(or Infinity\), got 0/,
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
      /maxPendingOutputBytes must be a whole number, got "1MB"/,
    ],
    [
      'idleTimeout',
      { idleTimeout: -1 },
      RangeError,
      /idleTimeout must be a non-negative number of milliseconds or Infinity, got -1/,
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
      /maxQueue must be a whole number of at least 0 \(or Infinity\), got -1/,
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
