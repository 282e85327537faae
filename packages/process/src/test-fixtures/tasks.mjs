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
 * then never settles (or, with `spin`, blocks its thread forever).
 */
export function spawnGrandchild(pidFile, { stubborn = false, spin = false } = {}) {
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

/** Ignores SIGTERM in the child itself, writes its pid, then never settles. */
export function ignoreTerminate(pidFile) {
  process.on('SIGTERM', () => {});
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
