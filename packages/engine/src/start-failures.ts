/**
 * The failed-start policy: failed starts in a row are counted; a waiting task goes back to
 * the front of the queue until `startAttempts` starts in a row failed, then it is rejected
 * (`spawn-failed`, with the last cause) and counting begins again. A runner that becomes
 * ready resets the count. Spares are not started while the count is at the limit.
 */
export class StartFailures {
  readonly #startAttempts: number;
  #inARow = 0;

  constructor(startAttempts: number) {
    this.#startAttempts = startAttempts;
  }

  /** Failed starts since the last runner that became ready. */
  get inARow(): number {
    return this.#inARow;
  }

  /** Whether another start may be tried (spares are not started past the limit). */
  get mayStart(): boolean {
    return this.#inARow < this.#startAttempts;
  }

  /** A runner became ready. */
  succeeded(): void {
    this.#inARow = 0;
  }

  /** A start failed; returns whether the task it was for may wait for another start. */
  failed(): boolean {
    this.#inARow++;
    return this.mayStart;
  }

  /** The waiting task was rejected: the next task gets `startAttempts` tries of its own. */
  gaveUp(): void {
    this.#inARow = 0;
  }
}
