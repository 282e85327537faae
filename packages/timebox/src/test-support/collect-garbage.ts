import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Memory checks need a real full collection before each sample: without it they measure
// whatever garbage happens to be waiting. `--expose-gc` set at run time reaches new
// contexts, so this works whatever flags the test process was started with.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Runs a full, synchronous garbage collection, so that a memory sample counts only live data. */
export function collectGarbage(): void {
  gc();
}
