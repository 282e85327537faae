// Module tasks that the process strategy's tests run in child processes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { taskSignal } from '@timebox/core';

const stubbornGrandchild = fileURLToPath(new URL('./stubborn-grandchild.mjs', import.meta.url));

/** Writes `content` to `path` so that a reader never sees half of it. */
function writeAtomically(path, content) {
  writeFileSync(`${path}.partial`, content);
  renameSync(`${path}.partial`, path);
}

/** The default export: the sum of its arguments. */
export default function sum(left, right) {
  return left + right;
}

/** Returns its argument as it arrived. */
export function echo(value) {
  return value;
}

/** Returns what the child process looks like from inside. */
export function describeProcess(variable) {
  return {
    pid: process.pid,
    cwd: process.cwd(),
    variable: process.env[variable],
    execArgv: process.execArgv,
  };
}

/** Never settles and holds nothing open. */
export function neverSettle() {
  return new Promise(() => {});
}

/** Writes its pid to `pidFile`, then never settles. */
export function reportPid(pidFile) {
  writeAtomically(pidFile, String(process.pid));
  return new Promise(() => {});
}

/**
 * Starts a grandchild (`sleep 1000`, or with `stubborn` a Node program that ignores
 * SIGTERM), writes `{ child, grandchild }` pids to `pidFile` once the grandchild runs,
 * then never settles (or, with `spin`, blocks its thread forever, or with `stop`, stops
 * its own process with SIGSTOP).
 */
export function spawnGrandchild(pidFile, { stubborn = false, spin = false, stop = false } = {}) {
  const grandchildPidFile = `${pidFile}.grandchild`;
  const grandchild = stubborn
    ? spawn(process.execPath, [stubbornGrandchild, grandchildPidFile], { stdio: 'ignore' })
    : spawn('sleep', ['1000'], { stdio: 'ignore' });
  const report = () =>
    writeAtomically(pidFile, JSON.stringify({ child: process.pid, grandchild: grandchild.pid }));
  return new Promise((_resolve, reject) => {
    grandchild.once('error', reject);
    grandchild.once('spawn', () => {
      if (!stubborn) {
        report();
        if (spin) for (;;) {}
        if (stop) process.kill(process.pid, 'SIGSTOP');
        return;
      }
      // The stubborn grandchild writes its pid once its SIGTERM handler is installed.
      const waitForGrandchild = setInterval(() => {
        if (!existsSync(grandchildPidFile)) return;
        clearInterval(waitForGrandchild);
        report();
        if (spin) for (;;) {}
      }, 5);
    });
  });
}

/**
 * Takes SIGTERM over in the child itself (removing the child's own listener, so that SIGTERM
 * no longer ends it), writes its pid, then never settles.
 */
export function ignoreTerminate(pidFile) {
  const ignore = () => {};
  process.on('SIGTERM', ignore);
  for (const listener of process.listeners('SIGTERM')) {
    if (listener !== ignore) process.removeListener('SIGTERM', listener);
  }
  writeAtomically(pidFile, String(process.pid));
  return new Promise(() => {});
}

/** Takes its signal; writes `startedFile`; when the signal aborts, resolves with its reason's name. */
export function cooperate(startedFile) {
  const signal = taskSignal();
  writeAtomically(startedFile, String(process.pid));
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => resolve(signal.reason?.name));
  });
}

/** Exits the child process with `code` in the middle of the task. */
export async function exitMidTask(code) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  process.exit(code);
}

/** Throws outside the task, from a timer, and never settles. */
export function throwOutsideTask(message) {
  setTimeout(() => {
    const error = new RangeError(message);
    error.code = 'E_OUTSIDE';
    throw error;
  }, 1);
  return new Promise(() => {});
}

/** Rejects a promise nobody handles, and never settles. */
export function rejectUnhandled(message) {
  Promise.reject(new TypeError(message));
  return new Promise(() => {});
}

/** Allocates until the heap limit is reached. */
export function exhaustMemory() {
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill(hoard.length));
}

/** Returns something the host cannot receive. */
export function returnFunction() {
  return { list: [1, { handler() {} }] };
}

/** Writes `text` to stdout and stderr, then resolves. */
export function print(text) {
  process.stdout.write(`out:${text}\n`);
  process.stderr.write(`err:${text}\n`);
  return 'printed';
}

/** Adds a SIGTERM listener that does nothing, as a server's shutdown hook might; never settles. */
export function listenForTerminate(pidFile) {
  process.on('SIGTERM', () => {});
  writeAtomically(pidFile, String(process.pid));
  return new Promise(() => {});
}

/** Writes `bytes` bytes to `stream` in lines of 1 KiB, at once; returns how many wait in the child. */
export function writeOutput(stream, bytes) {
  const line = `${'x'.repeat(1023)}\n`;
  for (let written = 0; written < bytes; written += line.length) process[stream].write(line);
  return process[stream].writableLength;
}

/** Writes like writeOutput, then writes `startedFile` and never settles. */
export function writeOutputThenWait(stream, bytes, startedFile) {
  writeOutput(stream, bytes);
  writeAtomically(startedFile, String(process.pid));
  return new Promise(() => {});
}

/**
 * Writes like writeOutput, writes `startedFile`, then blocks its thread for `spinMs`, so
 * that a stop arrives while the output still waits in the child, and returns.
 */
export function writeOutputThenSpin(stream, bytes, startedFile, spinMs) {
  writeOutput(stream, bytes);
  writeAtomically(startedFile, String(process.pid));
  const until = performance.now() + spinMs;
  while (performance.now() < until) {}
  return 'done';
}

/** Changes what a task can change in its process, and leaves it so. */
export function changeProcessState(directory) {
  process.env.TIMEBOX_LEFT_BEHIND = 'yes';
  delete process.env.HOME;
  process.chdir(directory);
  process.umask(0o077);
  process.on('SIGTERM', () => {});
  process.on('SIGINT', () => {});
  globalThis.timeboxLeftBehind = 'yes';
  return describeProcessState();
}

/** What the next task sees of that state. */
export function describeProcessState() {
  const mask = process.umask(0o022);
  process.umask(mask);
  return {
    pid: process.pid,
    variable: process.env.TIMEBOX_LEFT_BEHIND,
    home: process.env.HOME,
    cwd: process.cwd(),
    umask: mask,
    terminateListeners: process.listenerCount('SIGTERM'),
    interruptListeners: process.listenerCount('SIGINT'),
    global: globalThis.timeboxLeftBehind,
  };
}

/** Replaces process.env as a whole; returns what it now holds of HOME and a new variable. */
export function replaceEnvironment() {
  process.env = { TIMEBOX_LEFT_BEHIND: 'replaced' };
  return { home: process.env.HOME, variable: process.env.TIMEBOX_LEFT_BEHIND };
}

/**
 * Writes `bytes` bytes to `stream` 64 KiB at a time, yielding between writes so that the
 * output can flow; resolves with how many bytes wait in the child.
 */
export async function writeOutputInSteps(stream, bytes) {
  for (let written = 0; written < bytes; written += 65_536) {
    writeOutput(stream, 65_536);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process[stream].writableLength;
}

/**
 * Writes `startedFile` once running; when its signal aborts, writes the reason's name and
 * its cause's message to `reasonFile` and settles.
 */
export function reportAbortReason(startedFile, reasonFile) {
  const signal = taskSignal();
  writeAtomically(startedFile, String(process.pid));
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => {
      const reason = signal.reason;
      writeAtomically(
        reasonFile,
        JSON.stringify({ name: reason?.name, cause: reason?.cause?.message ?? null }),
      );
      resolve('stopped');
    });
  });
}

/**
 * Marks itself running in `directory` (one entry per running task), counts the entries,
 * holds for `holdMs`, and returns the most it saw: how many tasks ran at once.
 */
export async function countRunning(directory, holdMs) {
  const entry = join(directory, `${process.pid}-${Math.random()}`);
  mkdirSync(entry);
  let most = readdirSync(directory).length;
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  most = Math.max(most, readdirSync(directory).length);
  rmdirSync(entry);
  return most;
}

/** Resolves once the file at `path` exists (polled every 10 ms). */
export async function waitForFile(path) {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 10));
  return 'innocent result';
}
