/**
 * Resolves when `promise` settles or `milliseconds` pass, whichever comes first, and leaves
 * no timer behind.
 */
export function settleWithin(promise: Promise<unknown>, milliseconds: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}
