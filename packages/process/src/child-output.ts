import type { Readable } from 'node:stream';
import type { ProcessOutput, ProcessStdio } from './process-strategy-options.js';

const tailLength = 8_192;
/** Lines Node prints for its own warnings, such as the permission model's; never a cause. */
const nodeWarningPattern = /^\(node:\d+\) \w*Warning: |^\(Use `node --trace-/;
const outOfMemoryPattern =
  /JavaScript heap out of memory|Reached heap limit|Fatal process out of memory|Fatal JavaScript out of memory/;

/**
 * Reads a child's piped output: hands it to `onOutput` (stdio `'pipe'`), forwards stderr
 * to the host's (stdio `'inherit'`, reading no faster than the host's stderr takes it),
 * and keeps the end of stderr so that a crash can be
 * explained — in particular V8's "JavaScript heap out of memory", printed just before the
 * process aborts.
 */
export class ChildOutput {
  #stderrTail = '';
  #outOfMemory = false;

  constructor(
    streams: { readonly stdout: Readable | null; readonly stderr: Readable | null },
    stdio: ProcessStdio,
    describe: (stream: 'stdout' | 'stderr', text: string) => ProcessOutput,
    onOutput: ((output: ProcessOutput) => void) | undefined,
  ) {
    streams.stdout?.setEncoding('utf8');
    streams.stdout?.on('data', (text: string) => {
      onOutput?.(describe('stdout', text));
    });
    streams.stderr?.setEncoding('utf8');
    streams.stderr?.on('data', (text: string) => {
      this.#stderrTail = (this.#stderrTail + text).slice(-tailLength);
      if (!this.#outOfMemory && outOfMemoryPattern.test(this.#stderrTail)) {
        this.#outOfMemory = true;
      }
      if (stdio !== 'inherit') onOutput?.(describe('stderr', text));
      else if (!process.stderr.write(text)) {
        // The host's stderr is full (nobody reads it): stop reading until it drains, so
        // that the output waits in the child, under its limit, not in the host's memory.
        const stderr = streams.stderr as Readable;
        stderr.pause();
        process.stderr.once('drain', () => stderr.resume());
      }
    });
  }

  /** Whether V8 reported running out of memory. */
  get outOfMemory(): boolean {
    return this.#outOfMemory;
  }

  /**
   * The last non-empty line the child wrote to stderr that is not one of Node's warnings,
   * shortened, or undefined.
   */
  lastErrorLine(): string | undefined {
    const line = this.#stderrTail
      .split(/\r?\n/)
      .map((text) => text.trim())
      .filter((text) => text !== '' && !isNodeWarning(text))
      .at(-1);
    if (line === undefined) return undefined;
    return line.length > 200 ? `${line.slice(0, 197)}...` : line;
  }
}

function isNodeWarning(line: string): boolean {
  return nodeWarningPattern.test(line);
}
