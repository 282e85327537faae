// The jobs' work: it runs in a worker thread of whichever worker process takes the job, so
// it is a module of its own that reads nothing from its callers' scope.

/** Counts the primes below `data.below` by trial division: CPU work that blocks its thread. */
export function countPrimes(data) {
  let count = 0;
  for (let candidate = 2; candidate < data.below; candidate += 1) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= candidate; divisor += 1) {
      if (candidate % divisor === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count += 1;
  }
  return { below: data.below, primes: count };
}
