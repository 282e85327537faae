import type { PoolTask, PoolTaskQueue } from './workerpool-internals.js';

/** A task's place in a {@link TaskQueue}. */
export interface QueueEntry<Job> {
  /** The queued task. */
  readonly task: PoolTask<Job>;
  /** The entry before it, toward the front. */
  previous: QueueEntry<Job> | undefined;
  /** The entry after it, toward the back. */
  next: QueueEntry<Job> | undefined;
}

/** A job that remembers its place in the queue, so that it can leave it at once. */
export interface QueueableJob<Job> {
  /** Set while the job waits in the queue. */
  queueEntry: QueueEntry<Job> | undefined;
}

/**
 * The first-in, first-out queue the pool takes tasks from (plugged into workerpool's `Pool`
 * as its `queueStrategy`). Unlike workerpool's own, a task can leave it in constant time
 * when the caller's signal aborts, instead of staying until a worker skips it.
 */
export class TaskQueue<Job extends QueueableJob<Job>> implements PoolTaskQueue<Job> {
  #first: QueueEntry<Job> | undefined;
  #last: QueueEntry<Job> | undefined;
  #size = 0;

  /** Adds a task at the back. */
  push(task: PoolTask<Job>): void {
    const entry: QueueEntry<Job> = { task, previous: this.#last, next: undefined };
    if (this.#last === undefined) this.#first = entry;
    else this.#last.next = entry;
    this.#last = entry;
    this.#size++;
    task.options.queueEntry = entry;
  }

  /** Takes the task at the front. */
  pop(): PoolTask<Job> | undefined {
    const entry = this.#first;
    if (entry === undefined) return undefined;
    this.#unlink(entry);
    return entry.task;
  }

  /** Takes `job` out of the queue, wherever it is; does nothing if it is not queued. */
  remove(job: Job): void {
    const entry = job.queueEntry;
    if (entry !== undefined) this.#unlink(entry);
  }

  /** How many tasks wait. */
  size(): number {
    return this.#size;
  }

  /** Whether `task` waits in the queue. */
  contains(task: PoolTask<Job>): boolean {
    return task.options.queueEntry?.task === task;
  }

  /** Takes every task out and returns their jobs, front first. */
  drain(): Job[] {
    const jobs: Job[] = [];
    for (let task = this.pop(); task !== undefined; task = this.pop()) jobs.push(task.options);
    return jobs;
  }

  /** Drops every task. */
  clear(): void {
    this.drain();
  }

  #unlink(entry: QueueEntry<Job>): void {
    if (entry.previous === undefined) this.#first = entry.next;
    else entry.previous.next = entry.next;
    if (entry.next === undefined) this.#last = entry.previous;
    else entry.next.previous = entry.previous;
    entry.previous = undefined;
    entry.next = undefined;
    entry.task.options.queueEntry = undefined;
    this.#size--;
  }
}
