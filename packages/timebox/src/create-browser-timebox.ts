import type { Logger } from '@timebox/core';
import { describeValue } from '@timebox/core/strategy-kit';
import {
  defaultSelector,
  detectContext,
  type SelectionContext,
  type Selector,
  shippableSupport,
  threadsUnstoppableReason,
  webWorkerStrategyName,
  webWorkersUnavailableReason,
} from '@timebox/select';
import { type ThreadStrategyOptions, threadStrategy } from '@timebox/thread';
import { type WebWorkerStrategyOptions, webWorkerStrategy } from '@timebox/web-worker';
import { assembleTimebox, type Timebox } from './assemble-timebox.js';
import { type LazyStrategy, lazyStrategy } from './lazy-strategy.js';
import { resolveTimeboxOptions } from './timebox-options.js';
import type { ManagedStrategyName } from './timebox-run-options.js';

/** Options of the browser build's {@link createBrowserTimebox}. Every one is optional. */
export interface BrowserTimeboxOptions {
  /** Options of the web-worker strategy, or `false` to leave it out of the candidates. */
  readonly webWorker?: WebWorkerStrategyOptions | false;
  /** Options of the thread strategy, or `false` to leave it out of the candidates. */
  readonly thread?: ThreadStrategyOptions | false;
  /** The selector that picks a strategy for each run. Default: `defaultSelector`. */
  readonly selector?: Selector;
  /** The context selections weigh. Default: `detectContext()`. */
  readonly context?: SelectionContext;
  /** Where runs and selection warnings log, unless a run passes its own logger. */
  readonly logger?: Logger;
}

/**
 * The browser build's timebox: the web-worker strategy (hard) and the thread strategy
 * (soft) behind the default selector, which picks the web worker for module tasks and
 * self-contained functions where the runtime has Web Workers, and says why otherwise.
 * Strategies are created on first need; `close()` ends their workers.
 *
 * @example
 * ```ts
 * const timebox = createTimebox({ webWorker: { maxWorkers: 2 } });
 * await timebox.runTaskWithTimeout(task, [input]);
 * ```
 */
export function createBrowserTimebox(options: BrowserTimeboxOptions = {}): Timebox {
  // The options both builds share are checked as the Node build checks them.
  const {
    thread,
    selector: givenSelector,
    context: givenContext,
    logger: timeboxLogger,
  } = resolveTimeboxOptions(options);
  const webWorker: unknown = options.webWorker;
  if (
    webWorker !== undefined &&
    webWorker !== false &&
    (typeof webWorker !== 'object' || webWorker === null)
  ) {
    throw new TypeError(
      `createTimebox() option webWorker must be the web-worker strategy's options object, or false to leave it out, got ${describeValue(webWorker)}`,
    );
  }
  const context = (): SelectionContext => givenContext ?? detectContext();
  const managed = new Map<ManagedStrategyName, LazyStrategy>();
  if (webWorker !== false) {
    const webWorkerOptions = webWorker as WebWorkerStrategyOptions | undefined;
    managed.set(
      webWorkerStrategyName,
      lazyStrategy({
        name: webWorkerStrategyName,
        enforcement: 'hard',
        create: () => webWorkerStrategy(webWorkerOptions),
        precheck: (task, weighed) => {
          const unavailable =
            webWorkersUnavailableReason(weighed) ?? threadsUnstoppableReason(weighed);
          return unavailable === undefined
            ? shippableSupport(task)
            : { supported: false, reason: unavailable };
        },
        context,
      }),
    );
  }
  if (thread !== false) {
    const threadOptions = thread;
    managed.set(
      'thread',
      lazyStrategy({
        name: 'thread',
        enforcement: 'soft',
        create: () => threadStrategy(threadOptions),
        precheck: () => ({ supported: true }),
        context,
      }),
    );
  }
  return assembleTimebox({
    managed,
    selector: givenSelector ?? defaultSelector,
    context,
    logger: timeboxLogger,
  });
}
