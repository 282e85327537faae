import { type ChildProcess, fork, spawn } from 'node:child_process';
import type { AbortRequest, SerializedThrown, TaskResponse } from '@timebox/core/strategy-kit';
import { ChildOutput } from './child-output.js';
import type { ChildEntry } from './find-child-entry.js';
import { type HostMessage, isChildMessage } from './messages.js';
import type { ResolvedProcessStrategyOptions } from './process-strategy-options.js';
import { guardProcessGroup } from './process-tree/host-death-guardian.js';
import type { ProcessTreeKiller } from './process-tree/process-tree-killer.js';
import { type StopOutcome, stopProcessTree } from './process-tree/stop-process-tree.js';
import { settleWithin } from './settle-within.js';

/** Where a pooled process is in its life. */
export type PooledProcessState = 'starting' | 'idle' | 'busy' | 'stopping' | 'exited';

/** Why a child process ended when the host did not stop it. */
export interface ChildCrash {
  /** Its exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended it, or null. */
  readonly signal: NodeJS.Signals | null;
  /** It ended before it was ready for tasks, or could not be started at all. */
  readonly beforeReady: boolean;
  /** The error that kept it from starting, if one did. */
  readonly startError: Error | undefined;
  /** What it threw outside any task, if that is why it ended. */
  readonly uncaught: SerializedThrown | undefined;
  /** V8 reported running out of memory. */
  readonly outOfMemory: boolean;
  /** The last line it wrote to stderr, if any. */
  readonly lastErrorLine: string | undefined;
}

/** What a {@link PooledProcess} tells its pool. */
export interface PooledProcessListener {
  /** The process started and waits for tasks. */
  ready(process: PooledProcess): void;
  /** The modules it was asked to preload are loaded (or failed to load). */
  preloaded(process: PooledProcess): void;
  /** Task `id` settled in the process. */
  settled(process: PooledProcess, id: number, response: TaskResponse, ranFor?: number): void;
  /** The process ended on its own (or could not start); its tree is being stopped. */
  crashed(process: PooledProcess, crash: ChildCrash): void;
  /** A timer callback that a settled task left behind threw; the process goes on. */
  strayError(process: PooledProcess, taskName: string, error: SerializedThrown): void;
}

/** Settings every pooled process of a strategy shares. */
export interface PooledProcessSettings {
  /** The child entry: a script file, or the script's text. */
  readonly entry: ChildEntry;
  /** The strategy's options. */
  readonly options: ResolvedProcessStrategyOptions;
  /** How to stop a process tree on this platform. */
  readonly killer: ProcessTreeKiller;
}

/** Names the task running in a process, for captured output. */
export type RunningTaskName = () => string | undefined;

const drainTimeoutMs = 200;
const closeTimeoutMs = 1_000;

/**
 * One child process of the pool (its start-up bound is the engine's `startTimeout`): starts it (leading a process group of its own on POSIX),
 * speaks the IPC protocol with it, reads its output, notices when it dies, and stops it
 * with its whole process tree on request.
 */
export class PooledProcess {
  /** Where the process is in its life. */
  state: PooledProcessState = 'starting';
  /** The child's process id (undefined when it could not be started). */
  readonly pid: number | undefined;
  readonly #child: ChildProcess;
  readonly #settings: PooledProcessSettings;
  readonly #listener: PooledProcessListener;
  readonly #output: ChildOutput;
  readonly #closed: Promise<void>;
  #startError: Error | undefined;
  #uncaught: SerializedThrown | undefined;
  #stopping: Promise<StopOutcome> | undefined;
  #wakeFromGrace: (() => void) | undefined;
  /** A new child process keeps the host alive until told otherwise. */
  #keepsHostAlive = true;
  /** Releases the child's process group from the host-death guardian. */
  #releaseGuard: () => Promise<void> = () => Promise.resolve();

  constructor(
    settings: PooledProcessSettings,
    listener: PooledProcessListener,
    runningTaskName: RunningTaskName,
  ) {
    this.#settings = settings;
    this.#listener = listener;
    const { options, killer } = settings;
    // The child entry's arguments: the host's pid, and how much output may wait in it.
    const entryArguments = [String(process.pid), String(options.maxPendingOutputBytes)];
    this.#child = startChild(settings.entry, entryArguments, options, killer.detachChildren);
    this.pid = this.#child.pid;
    // Its group dies with the host, even while stopped, through the host-death guardian.
    if (this.pid !== undefined && killer.detachChildren) {
      this.#releaseGuard = guardProcessGroup(this.pid);
    }
    const child = this.#child;
    let notStarted: () => void = () => {};
    this.#closed = new Promise((resolve) => {
      child.once('close', () => resolve());
      notStarted = resolve;
    });
    child.on('error', (error) => {
      // Without a pid the process never started; other errors (a failed send or kill)
      // are followed by its exit, which is handled there.
      if (this.pid !== undefined || this.#startError !== undefined) return;
      this.#startError = error;
      notStarted();
      this.#exited();
    });
    this.#output = new ChildOutput(
      child,
      options.stdio,
      (stream, text) => ({ stream, text, pid: this.pid ?? 0, taskName: runningTaskName() }),
      options.onOutput,
    );
    child.on('message', (message: unknown) => this.#receive(message));
    child.once('exit', () => this.#exited());
  }

  /** Sends a message; throws when it cannot be serialized. */
  send(message: HostMessage): void {
    this.#child.send(message);
  }

  /**
   * Lets the process keep the host alive (while it runs a task) or not (while it idles, so
   * that an idle pool never holds the host open).
   */
  keepHostAlive(keep: boolean): void {
    if (this.#keepsHostAlive === keep) return;
    this.#keepsHostAlive = keep;
    const child = this.#child;
    const handles: Array<{ ref?: () => unknown; unref?: () => unknown } | null | undefined> = [
      child,
      child.channel,
      child.stdout as { ref?: () => unknown; unref?: () => unknown } | null,
      child.stderr as { ref?: () => unknown; unref?: () => unknown } | null,
    ];
    for (const handle of handles) {
      if (keep) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  /**
   * Stops the process and its whole tree: sends `abort` (so the task's signal aborts),
   * waits up to `graceMs` (less when the task settles first), then terminates the tree and
   * kills it after `killTimeoutMs`, and confirms it is gone. Calling it again returns the
   * same promise.
   */
  stop(abort?: { readonly id: number; readonly abort: AbortRequest }, graceMs = 0) {
    if (this.#stopping !== undefined) return this.#stopping;
    if (this.state !== 'exited') this.state = 'stopping';
    this.#stopping = this.#escalate(abort, graceMs);
    return this.#stopping;
  }

  async #escalate(
    abort: { readonly id: number; readonly abort: AbortRequest } | undefined,
    graceMs: number,
  ): Promise<StopOutcome> {
    const child = this.#child;
    if (this.pid === undefined) return 'terminated';
    if (abort !== undefined && child.connected) {
      try {
        this.send({ type: 'abort', id: abort.id, abort: abort.abort });
      } catch {
        // the channel closed meanwhile: the process is going anyway
      }
    }
    // The grace period ends early when the task settles (it heard its signal) or the
    // process exits; the rest waits a turn, so that whoever awaits the task's rejection
    // hears of it first.
    const graceOver = new Promise<void>((resolve) => {
      this.#wakeFromGrace = resolve;
      child.once('exit', () => resolve());
    });
    await new Promise((resolve) => setImmediate(resolve));
    if (graceMs > 0 && child.exitCode === null && child.signalCode === null) {
      await settleWithin(graceOver, graceMs);
    }
    const outcome = await stopProcessTree({
      killer: this.#settings.killer,
      pid: this.pid,
      killTimeoutMs: this.#settings.options.killTimeoutMs,
    });
    await settleWithin(this.#closed, closeTimeoutMs);
    if (outcome !== 'survived') await this.#releaseGuard();
    return outcome;
  }

  #receive(message: unknown): void {
    if (!isChildMessage(message)) return;
    switch (message.type) {
      case 'ready':
        if (this.state !== 'starting') return;
        this.state = 'idle';
        this.#listener.ready(this);
        return;
      case 'preloaded':
        if (this.state !== 'stopping') this.#listener.preloaded(this);
        return;
      case 'settled':
        if (this.state === 'stopping') {
          this.#wakeFromGrace?.();
          return;
        }
        if (this.state === 'busy') {
          const { ranFor } = message;
          const measured = typeof ranFor === 'number' && ranFor >= 0 ? ranFor : undefined;
          this.#listener.settled(this, message.id, message.response, measured);
        }
        return;
      case 'stray':
        if (this.state !== 'stopping') {
          this.#listener.strayError(this, message.taskName, message.error);
        }
        return;
      case 'uncaught':
        this.#uncaught = message.error;
        return;
    }
  }

  #exited(): void {
    if (this.state === 'stopping' || this.state === 'exited') {
      this.state = 'exited';
      return;
    }
    const beforeReady = this.state === 'starting';
    this.state = 'exited';
    // Stop whatever the process left behind in its group, and say why it ended once its
    // last messages and output have been read.
    void this.stop();
    const { exitCode, signalCode } = this.#child;
    void settleWithin(this.#closed, drainTimeoutMs).then(() =>
      this.#reportCrash(exitCode, signalCode, beforeReady),
    );
  }

  #reportCrash(exitCode: number | null, signal: NodeJS.Signals | null, beforeReady = true): void {
    this.#listener.crashed(this, {
      exitCode,
      signal,
      beforeReady: beforeReady || this.#startError !== undefined,
      startError: this.#startError,
      uncaught: this.#uncaught,
      outOfMemory: this.#output.outOfMemory,
      lastErrorLine: this.#output.lastErrorLine(),
    });
  }
}

/**
 * Starts the child: `fork` of the entry file, or, for the entry's text, `node --eval` with
 * the same channel, serialization and arguments (`--` and a placeholder keep them at
 * `process.argv[2]` onwards, where they are in a forked script).
 */
function startChild(
  entry: ChildEntry,
  entryArguments: readonly string[],
  options: ResolvedProcessStrategyOptions,
  detached: boolean,
): ChildProcess {
  const settings = {
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdio: ['ignore', options.stdio, 'pipe', 'ipc'] as [
      'ignore',
      typeof options.stdio,
      'pipe',
      'ipc',
    ],
    serialization: 'advanced' as const,
    detached,
  };
  if (entry.kind === 'file') {
    return fork(entry.path, [...entryArguments], { ...settings, execArgv: [...options.execArgv] });
  }
  const nodeArguments = [...options.execArgv, '--eval', entry.source, '--', 'timebox-child'];
  return spawn(process.execPath, [...nodeArguments, ...entryArguments], settings);
}
