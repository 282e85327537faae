import { type ChildProcess, spawn } from 'node:child_process';

/** The first line of the guardian's program, which names it in the process table. */
export const guardianTitle = 'timebox host-death guardian';

/**
 * The guardian's program, for a POSIX shell. It reads lines from the host on stdin: `+<id>`
 * adds a process group to guard, `-<id>` removes one. Its stdin reaches end of file when
 * the host's end of the pipe closes, which the kernel does however the host ends (SIGKILL
 * included); it then sends SIGKILL to every group it still guards and exits. A process
 * that is stopped (SIGSTOP) cannot watch for anything, but SIGKILL ends it all the same.
 * The guardian ignores the signals a terminal or a supervisor sends to the host's group,
 * so that it outlives the host long enough to do its job.
 */
const guardianScript = `# ${guardianTitle}
trap '' HUP INT TERM QUIT PIPE
groups=' '
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*)
      kept=' '
      for group in $groups; do
        [ "$group" = "\${line#-}" ] || kept="$kept$group "
      done
      groups=$kept
      ;;
  esac
done
for group in $groups; do
  kill -s KILL -- "-$group" 2>/dev/null
done
`;

/** The process groups to kill if the host dies. */
const guarded = new Set<number>();
let guardian: ChildProcess | undefined;

/**
 * Registers process group `groupId` with this host's guardian, a small shell process
 * outside every guarded group that kills the group with SIGKILL as soon as the host dies,
 * however it dies and whatever state the group's processes are in. The guardian starts
 * with the first group and ends when the last one is released; it never keeps the host
 * alive. Returns the function that releases the group (call it once the group is gone);
 * it resolves once the guardian has exited when that was the last group, so that a
 * strategy's `close()` leaves no process behind. POSIX only.
 */
export function guardProcessGroup(groupId: number): () => Promise<void> {
  guarded.add(groupId);
  if (guardian === undefined) startGuardian();
  else guardian.stdin?.write(`+${groupId}\n`);
  let released = false;
  return () => {
    if (released) return Promise.resolve();
    released = true;
    guarded.delete(groupId);
    guardian?.stdin?.write(`-${groupId}\n`);
    return guarded.size === 0 ? retireGuardian() : Promise.resolve();
  };
}

/** Whether a guardian process is running now (for tests). */
export function guardianPid(): number | undefined {
  return guardian?.pid;
}

/** Starts a guardian and tells it every group guarded now. */
function startGuardian(): void {
  let started: ChildProcess;
  try {
    started = spawn('/bin/sh', ['-c', guardianScript], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      windowsHide: true,
    });
  } catch {
    // Without a shell (or the right to start processes) the child's own watchdog remains.
    return;
  }
  guardian = started;
  started.on('error', () => {
    if (guardian === started) guardian = undefined;
  });
  started.stdin?.on('error', () => {
    // a guardian that died is replaced at the next registration, below
  });
  started.once('exit', () => {
    if (guardian !== started) return;
    guardian = undefined;
    // It ended while groups were still guarded (killed from outside): start another.
    if (guarded.size > 0) startGuardian();
  });
  started.unref();
  (started.stdin as { unref?: () => void } | null)?.unref?.();
  if (guarded.size > 0) started.stdin?.write([...guarded].map((id) => `+${id}\n`).join(''));
}

/**
 * Closes the guardian's stdin: with nothing left to guard, it exits at once. Resolves when
 * it has exited, or at most {@link retireTimeoutMs} later; the wait's timer keeps the host
 * alive until then (the guardian itself is unreferenced), so that a `close()` awaiting it
 * settles.
 */
function retireGuardian(): Promise<void> {
  const retiring = guardian;
  guardian = undefined;
  if (retiring === undefined || retiring.exitCode !== null || retiring.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, retireTimeoutMs);
    retiring.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    retiring.stdin?.end();
  });
}

/** How long a release waits for the retired guardian to exit. */
const retireTimeoutMs = 1_000;
