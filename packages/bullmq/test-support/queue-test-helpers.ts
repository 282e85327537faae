// Helpers for the tests that run a BullMQ worker in the test process.
import { existsSync, readFileSync } from 'node:fs';
import type { Job, Queue } from 'bullmq';

/** Polls (bounded) until `condition` holds; resolves with whether it did. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  withinMs = 10_000,
  everyMs = 25,
): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await condition()) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits (bounded) until job `id` of `queue` has completed or failed for good, and returns it. */
export async function settledJob(queue: Queue, id: string | undefined, withinMs = 15_000) {
  if (id === undefined) throw new Error('the job has no id');
  let settled: Job | undefined;
  const done = await eventually(
    async () => {
      const state = await queue.getJobState(id);
      // Read the job after its state: read before, it could predate the settling.
      if (state === 'completed' || state === 'failed') settled = await queue.getJob(id);
      return settled !== undefined;
    },
    withinMs,
    50,
  );
  if (!done || settled === undefined)
    throw new Error(`job ${id} did not settle within ${withinMs} ms`);
  return settled;
}

/** Waits (bounded) for `path` to be written and returns its JSON. */
export async function readWhenWritten<T>(path: string, withinMs = 10_000): Promise<T> {
  if (!(await eventually(() => existsSync(path), withinMs))) {
    throw new Error(`${path} was not written within ${withinMs} ms`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Whether `pid` is a running process (a zombie is not). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The running processes whose parent is `parentId`. */
export function childrenOf(parentId: number): number[] {
  const children: number[] = [];
  let entries: string[] = [];
  try {
    entries = readFileSync(`/proc/${parentId}/task/${parentId}/children`, 'latin1')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
  } catch {
    return children;
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (isRunning(pid)) children.push(pid);
  }
  return children;
}
