import type { DurationPercentiles } from '@timebox/core';

/** How many recent samples percentiles are computed from. */
const sampleCount = 1024;

/**
 * The last {@link sampleCount} durations in a ring; recording one costs an array write,
 * the percentiles are computed only when asked for.
 */
export class DurationSamples {
  readonly #samples = new Float64Array(sampleCount);
  #recorded = 0;

  /** Records one duration. */
  record(milliseconds: number): void {
    this.#samples[this.#recorded % sampleCount] = milliseconds;
    this.#recorded++;
  }

  /** The percentiles of the recent durations. */
  percentiles(): DurationPercentiles {
    const count = Math.min(this.#recorded, sampleCount);
    if (count === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
    const sorted = this.#samples.slice(0, count).sort();
    const at = (share: number): number =>
      sorted[Math.min(count - 1, Math.ceil(share * count) - 1)] ?? 0;
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[count - 1] ?? 0 };
  }
}
