// A runaway CPU loop: it never yields, so nothing on its own thread can interrupt it.
// It counts its turns in shared memory so that the host can see whether it still runs.
export default function runawayLoop(turns) {
  for (;;) Atomics.add(turns, 0, 1);
}
