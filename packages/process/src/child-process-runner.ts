import {
  type AbortRequest,
  deserializeThrown,
  type SerializedThrown,
  type TaskRequest,
  type TaskResponse,
} from '@timebox/core/strategy-kit';
import type { Runner, RunnerEvents } from '@timebox/engine';
import { childCrashFacts } from './child-crash-facts.js';
import {
  type ChildCrash,
  PooledProcess,
  type PooledProcessListener,
  type PooledProcessSettings,
} from './pooled-process.js';

/**
 * One child Node process as an engine runner: started with advanced serialization, leading
 * its own process group, stopped with SIGTERM then SIGKILL to the whole group and confirmed
 * gone (a zombie counts as gone). Whether its task can hear an abort cannot be told from
 * outside, so the task always gets its grace period. The engine's stop ladder sends the
 * abort and waits the grace; `stop()` is the tree's SIGTERM → SIGKILL → confirmation.
 */
export class ChildProcessRunner implements Runner, PooledProcessListener {
  readonly identity: { readonly pid: number };
  readonly label: string;
  readonly #process: PooledProcess;
  readonly #events: RunnerEvents;
  readonly #killTimeoutMs: number;
  #nextId = 1;
  #runningId = 0;
  #runningTask: string | undefined;
  #stopped = false;

  constructor(settings: PooledProcessSettings, events: RunnerEvents) {
    this.#events = events;
    this.#killTimeoutMs = settings.options.killTimeoutMs;
    this.#process = new PooledProcess(settings, this, () => this.#runningTask);
    const pid = this.#process.pid ?? 0;
    this.identity = { pid };
    this.label = this.#process.pid === undefined ? 'a child process' : `process ${pid}`;
  }

  send(request: TaskRequest): void {
    const id = this.#nextId++;
    this.#process.send({ type: 'run', id, request });
    this.#runningId = id;
    this.#runningTask = request.taskName;
    this.#process.state = 'busy';
  }

  abort(request: AbortRequest): void {
    try {
      this.#process.send({ type: 'abort', id: this.#runningId, abort: request });
    } catch {
      // the channel closed meanwhile: the process is going anyway
    }
  }

  preload(requests: readonly TaskRequest[]): boolean {
    try {
      this.#process.send({ type: 'preload', requests });
    } catch {
      // the channel closed meanwhile: the process is going, and its end is reported
      return false;
    }
    return true;
  }

  canHearAbort(): undefined {
    return undefined;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    void this.#process.stop().then((outcome) => {
      if (outcome === 'terminated') this.#events.exited({ forced: false });
      else if (outcome === 'killed') {
        this.#events.exited({
          forced: true,
          warning: `and its group did not end within ${this.#killTimeoutMs} ms of SIGTERM; they were killed with SIGKILL`,
        });
      }
      // 'survived': never confirmed gone; the engine gives up on it after exitTimeout.
    });
  }

  ref(): void {
    this.#process.keepHostAlive(true);
  }

  unref(): void {
    this.#process.keepHostAlive(false);
  }

  /** @internal The process is ready. */
  ready(): void {
    this.#events.ready();
  }

  /** @internal The modules it was asked to preload are loaded. */
  preloaded(): void {
    this.#events.preloaded?.();
  }

  /** @internal The task sent last settled. */
  settled(_process: PooledProcess, id: number, response: TaskResponse, ranFor?: number): void {
    if (id !== this.#runningId) return;
    this.#runningTask = undefined;
    this.#process.state = 'idle';
    this.#events.response(response, ranFor);
  }

  /** @internal A callback that a settled task left behind threw; the process goes on. */
  strayError(_process: PooledProcess, taskName: string, error: SerializedThrown): void {
    this.#events.strayError?.(taskName, deserializeThrown(error));
  }

  /** @internal The process ended on its own, or could not start. */
  crashed(_process: PooledProcess, crash: ChildCrash): void {
    this.#events.crashed(childCrashFacts(crash));
    this.stop();
  }
}
