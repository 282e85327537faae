/** Listeners of one `process` event, as `rawListeners` returns them. */
type Listeners = readonly ((...args: unknown[]) => unknown)[];

/**
 * Takes a picture of what a task can change in its child process and cheaply put back —
 * the environment, the working directory, the file mode mask and the listeners on
 * `process` (signal handlers among them) — and returns the function that restores it.
 * The child restores it after every task, so that the next task in the same process
 * starts from the same state. Globals, loaded modules and what runs in the background
 * are not restored (see the README's "Reuse of child processes").
 */
export function rememberProcessState(): () => void {
  const environment = { ...process.env };
  const directory = process.cwd();
  const mask = process.umask(0o022);
  process.umask(mask);
  const listeners = new Map<string | symbol, Listeners>(
    process.eventNames().map((name) => [name, listenersOf(name)]),
  );
  return () => {
    restoreEnvironment(environment);
    if (process.cwd() !== directory) {
      try {
        process.chdir(directory);
      } catch {
        // the directory is gone: the task's stays
      }
    }
    process.umask(mask);
    restoreListeners(listeners);
  };
}

function restoreEnvironment(environment: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(process.env)) {
    if (!(name in environment)) delete process.env[name];
  }
  for (const [name, value] of Object.entries(environment)) {
    if (process.env[name] !== value) process.env[name] = value;
  }
}

function restoreListeners(remembered: ReadonlyMap<string | symbol, Listeners>): void {
  const names = new Set([...process.eventNames(), ...remembered.keys()]);
  for (const name of names) {
    const kept = remembered.get(name) ?? [];
    const current = listenersOf(name);
    if (current.length === kept.length && current.every((listener, i) => listener === kept[i])) {
      continue;
    }
    for (const listener of current) {
      if (!kept.includes(listener)) process.removeListener(name, listener);
    }
    for (const listener of kept) {
      if (!listenersOf(name).includes(listener)) {
        process.on(name, listener);
      }
    }
  }
}

function listenersOf(name: string | symbol): Listeners {
  return [...process.rawListeners(name as string)] as unknown as Listeners;
}
