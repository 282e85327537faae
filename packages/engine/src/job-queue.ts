import type { EngineJob } from './engine-job.js';

/**
 * The first-in, first-out queue of jobs waiting for a runner. A job leaves it in constant
 * time wherever it is (its caller aborted), and a job whose runner failed to start goes
 * back to the front.
 */
export class JobQueue {
  #first: EngineJob | undefined;
  #last: EngineJob | undefined;
  #size = 0;

  /** How many jobs wait. */
  get size(): number {
    return this.#size;
  }

  /** The job at the front, left in place. */
  get first(): EngineJob | undefined {
    return this.#first;
  }

  /** Adds a job at the back. */
  push(job: EngineJob): void {
    job.previous = this.#last;
    job.next = undefined;
    if (this.#last === undefined) this.#first = job;
    else this.#last.next = job;
    this.#last = job;
    this.#size++;
  }

  /** Puts a job back at the front (its runner failed to start). */
  pushFront(job: EngineJob): void {
    job.next = this.#first;
    job.previous = undefined;
    if (this.#first === undefined) this.#last = job;
    else this.#first.previous = job;
    this.#first = job;
    this.#size++;
  }

  /** Takes the job at the front. */
  shift(): EngineJob | undefined {
    const job = this.#first;
    if (job !== undefined) this.remove(job);
    return job;
  }

  /** Takes `job` out of the queue; the caller knows it is queued. */
  remove(job: EngineJob): void {
    if (job.previous === undefined) this.#first = job.next;
    else job.previous.next = job.next;
    if (job.next === undefined) this.#last = job.previous;
    else job.next.previous = job.previous;
    job.previous = undefined;
    job.next = undefined;
    this.#size--;
  }

  /** Takes every job out, front first. */
  drain(): EngineJob[] {
    const jobs: EngineJob[] = [];
    for (let job = this.shift(); job !== undefined; job = this.shift()) jobs.push(job);
    return jobs;
  }
}
