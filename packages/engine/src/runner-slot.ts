import type { LongTimeout, ReusableDeadlineTimer, TaskRequest } from '@timebox/core/strategy-kit';
import type { EngineJob } from './engine-job.js';
import type { Runner } from './runner.js';
import type { StopLadder } from './stop-ladder.js';

/**
 * Where a runner is: `starting` (not ready yet), `idle`, `busy` (holds a job), `stopping`
 * (stopped, exit not yet confirmed) or `gone`.
 */
export type SlotState = 'starting' | 'idle' | 'busy' | 'stopping' | 'gone';

/** The engine's record of one runner: its state, its job, its timers. */
export class RunnerSlot {
  /** The runner, once `start()` returned it. */
  runner: Runner | undefined;
  /** Where the runner is. */
  state: SlotState = 'starting';
  /** Whether the runner said it is ready. */
  ready = false;
  /** Whether it is a spare (started ahead, outside the pool). */
  spare: boolean;
  /** The job it holds (starting or running; settled while its late answer is on its way). */
  job: EngineJob | undefined;
  /** Jobs sent ahead to it (a prefetching runner), oldest first; each starts after the one before. */
  readonly ahead: EngineJob[] = [];
  /** How many requests it was sent: the next request's ticket. */
  tickets = 0;
  /** The name of the last task it ran, for events between tasks. */
  lastTaskName: string | undefined;
  /** The start-up bound while it starts. */
  startTimer: LongTimeout | undefined;
  /** The idle-retirement timer while it idles. */
  idleTimer: LongTimeout | undefined;
  /** The running job's deadline; one timer serves every job the runner runs. */
  deadline: ReusableDeadlineTimer | undefined;
  /** The stop in progress. */
  ladder: StopLadder | undefined;
  /** The module requests it preloaded as a spare. */
  preloaded: readonly TaskRequest[] = [];
  /** Whether it is loading its preloads (started, but not ready for a task until they load). */
  preloading = false;
  /** How many tasks it has started. */
  tasksStarted = 0;
  /** Set when a callback a finished task left behind threw in it: retired after its task. */
  untrusted = false;
  /** When it was spawned (a `performance.now()` reading). */
  spawnedAt = 0;
  /** When it last became idle (a `performance.now()` reading). */
  idleSince = 0;
  /** Whether the runner keeps the host alive now. */
  referenced = false;
  /** Resolves once the runner is confirmed gone or given up on. */
  readonly gone: Promise<void>;
  /** Resolves {@link gone}. */
  markGone!: () => void;

  constructor(spare: boolean) {
    this.spare = spare;
    this.gone = new Promise((resolve) => {
      this.markGone = resolve;
    });
  }

  /** Clears the start-up, idle and deadline timers. */
  clearTimers(): void {
    this.deadline?.clear();
    this.startTimer?.clear();
    this.startTimer = undefined;
    this.idleTimer?.clear();
    this.idleTimer = undefined;
  }

  /** Keeps the host alive through this runner (once). */
  reference(): void {
    if (this.referenced) return;
    this.referenced = true;
    this.runner?.ref();
  }

  /** Lets the host exit while this runner idles. */
  release(): void {
    if (!this.referenced) return;
    this.referenced = false;
    this.runner?.unref();
  }
}
