import type { EngineJob } from './engine-job.js';
import type { RunnerSlot } from './runner-slot.js';

/**
 * Jobs sent ahead to busy runners that prefetch (`Runner.prefetch`): which runner has room
 * for one more, and taking back the ones that have not started. A runner runs what it
 * holds in the order sent, so jobs are taken back newest first: a runner that reaches a
 * job taken back skips it and may start the next one, which must then be taken back
 * already or be left to run.
 */

/**
 * The busy runner with the most room for a job sent ahead, if any has room: one that
 * prefetches, runs a job now, is trusted and not retired after its job (`isolate`).
 */
export function runnerWithRoomAhead(pool: Iterable<RunnerSlot>): RunnerSlot | undefined {
  let best: RunnerSlot | undefined;
  for (const slot of pool) {
    if (!hasRoomAhead(slot)) continue;
    if (best === undefined || slot.ahead.length < best.ahead.length) best = slot;
  }
  return best;
}

/**
 * Whether a job may be sent ahead to this runner now: it prefetches and has room, runs a
 * job now, is trusted and is not retired after its job (`isolate`), and the next ticket
 * stays within what it tracks.
 */
export function hasRoomAhead(slot: RunnerSlot): boolean {
  const prefetch = slot.runner?.prefetch;
  if (prefetch === undefined || slot.ahead.length >= prefetch.depth) return false;
  const job = slot.job;
  if (job === undefined || job.state !== 'running' || job.isolate) return false;
  return slot.state === 'busy' && !slot.untrusted && slot.tickets - job.ticket < prefetch.capacity;
}

/**
 * Takes back, newest first, every job sent ahead to `slot` that has not started. Returns
 * them oldest first; a job that started stays in `slot.ahead` (then so does every job
 * before it), and means the job the engine thinks is running there has ended.
 */
export function takeBackJobsAhead(slot: RunnerSlot): EngineJob[] {
  const taken: EngineJob[] = [];
  for (
    let job = takeBackNewestJobAhead(slot);
    job !== undefined;
    job = takeBackNewestJobAhead(slot)
  ) {
    taken.unshift(job);
  }
  return taken;
}

/** The runner holding the most jobs sent ahead, to take its newest one for an idle runner. */
export function runnerWithMostAhead(pool: Iterable<RunnerSlot>): RunnerSlot | undefined {
  let most: RunnerSlot | undefined;
  for (const slot of pool) {
    if (slot.ahead.length > (most?.ahead.length ?? 0)) most = slot;
  }
  return most;
}

/** Takes back the newest job sent ahead to `slot`, if it has not started. */
export function takeBackNewestJobAhead(slot: RunnerSlot): EngineJob | undefined {
  const job = slot.ahead[slot.ahead.length - 1];
  if (job === undefined || slot.runner?.prefetch?.revoke(job.ticket) !== true) return undefined;
  slot.ahead.pop();
  job.holder = undefined;
  job.state = 'queued';
  return job;
}
