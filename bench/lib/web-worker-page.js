// The page side of bench/suites/web-worker.mjs, bundled with esbuild for the browser: it
// kills runaway tasks under the web-worker strategy and measures, in the page, how late the
// rejection comes after the deadline, the longest gap between animation frames meanwhile,
// and how long the next task takes on the spare that replaced the killed worker.
import { defineTask, runTaskWithTimeout } from '@timebox/core';
import { webWorkerStrategy } from '@timebox/web-worker';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

globalThis.runWebWorkerBenchmark = async ({ samples, timeout, settleMs }) => {
  const strategy = webWorkerStrategy({ maxWorkers: 1, spareWorkers: 1 });
  const quick = defineTask({ name: 'quick', timeout: 5_000, run: () => 1 });
  const runaway = defineTask({
    name: 'runaway',
    timeout,
    run: () => {
      for (;;) {}
    },
  });
  const lateness = [];
  const bareTimerLateness = [];
  const nextTask = [];
  const frameGaps = [];
  await runTaskWithTimeout(quick, [], { strategy });
  for (let sample = 0; sample < samples; sample++) {
    // Chromium stops a killed worker about 2 s after terminate(): let it go first, so that
    // samples do not share the two cores with the last one's spinning thread.
    await sleep(settleMs);
    await nextFrame();
    let watching = true;
    let last = performance.now();
    let longestGap = 0;
    const onFrame = (now) => {
      longestGap = Math.max(longestGap, now - last);
      last = now;
      if (watching) requestAnimationFrame(onFrame);
    };
    requestAnimationFrame(onFrame);
    const called = performance.now();
    // A bare timer of the same length, set at the same time in the same page, shows what
    // the machine (two shared cores, one of them now spinning) does to any timer.
    const bareTimer = sleep(timeout).then(() => performance.now() - called - timeout);
    try {
      await runTaskWithTimeout(runaway, [], { strategy });
    } catch {
      lateness.push(performance.now() - called - timeout);
    }
    bareTimerLateness.push(await bareTimer);
    const nextStarted = performance.now();
    await runTaskWithTimeout(quick, [], { strategy });
    nextTask.push(performance.now() - nextStarted);
    await nextFrame();
    await nextFrame();
    watching = false;
    frameGaps.push(longestGap);
  }
  await strategy.close();
  return { lateness, bareTimerLateness, nextTask, frameGaps };
};
