/**
 * Where the conformance tasks report what happened inside them (`started`, the name of
 * the abort reason…), so that a case can wait for it: files on Node, a `BroadcastChannel`
 * in browsers and other runtimes without a file system.
 */
export interface MarkerBoard {
  /** The string a task gets as the place to report `name` (a file path, a channel name). */
  target(name: string): string;
  /** What a task reported at `target` (from {@link target}), or undefined while nothing was. */
  read(target: string): string | undefined;
  /** Releases the board: removes its files, closes its channels. */
  close(): void;
}

/** How a marker target names a `BroadcastChannel` instead of a file. */
export const broadcastMarkerPrefix = 'broadcast:';

/**
 * A marker board on `BroadcastChannel`s, for runtimes without a file system (browsers):
 * each target is a channel the board listens on before the task gets it; the last message
 * on it is what `read` gives, and each one is acknowledged on the same channel.
 */
export function broadcastMarkerBoard(): MarkerBoard {
  const board = `timebox-conformance-${crypto.randomUUID()}`;
  const channels = new Map<string, InstanceType<typeof BroadcastChannel>>();
  const received = new Map<string, string>();
  return {
    target(name) {
      if (!channels.has(name)) {
        const channel = new BroadcastChannel(`${board}/${name}`);
        const target = `${broadcastMarkerPrefix}${board}/${name}`;
        channel.onmessage = (event: { data: unknown }) => {
          received.set(target, String(event.data));
          channel.postMessage('received');
        };
        channels.set(name, channel);
      }
      return `${broadcastMarkerPrefix}${board}/${name}`;
    },
    read: (target) => received.get(target),
    close() {
      for (const channel of channels.values()) channel.close();
      channels.clear();
    },
  };
}
