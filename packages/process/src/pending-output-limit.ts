/** A stream of the child's own output, as far as the limit needs it. */
interface OutputStream {
  write(chunk: unknown, ...rest: unknown[]): boolean;
  readonly writableLength: number;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Caps how much of the child's output (`process.stdout` or `process.stderr`) may wait in
 * the child to be written. Writes to a pipe are asynchronous in Node: a task that writes
 * faster than the host reads would otherwise hold all of it in memory (and lose it when
 * the process is stopped). Once `maxPendingBytes` wait, further writes are dropped and
 * counted; when the stream drains, a line says how many bytes were dropped, in the place
 * where they were. What was written before the limit is kept, in order. The callback of
 * a dropped write is still called, so that code waiting for it goes on.
 */
export function limitPendingOutput(
  stream: OutputStream,
  name: 'stdout' | 'stderr',
  maxPendingBytes: number,
): void {
  if (maxPendingBytes === Infinity) return;
  const write = stream.write.bind(stream);
  let dropped = 0;
  const reportDropped = (): void => {
    if (dropped === 0) return;
    const line = `\n… ${dropped} bytes of ${name} dropped: more than ${maxPendingBytes} bytes were waiting to be written\n`;
    dropped = 0;
    write(line);
  };
  stream.write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (stream.writableLength < maxPendingBytes) {
      reportDropped();
      return write(chunk, ...rest);
    }
    if (dropped === 0) stream.once('drain', reportDropped);
    dropped += byteLength(chunk, rest[0]);
    const callback = rest.find((argument) => typeof argument === 'function');
    if (callback !== undefined) queueMicrotask(() => (callback as (error?: Error) => void)());
    return false;
  };
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') {
    return Buffer.byteLength(
      chunk,
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
    );
  }
  return (chunk as { byteLength?: number } | null)?.byteLength ?? 0;
}
