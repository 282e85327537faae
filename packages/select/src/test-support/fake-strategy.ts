import type { Logger, StrategySupport, TimeoutStrategy } from '@timebox/core';
import type { DetectedContext } from '../detected-context.js';
import { shippableSupport } from '../shippable.js';

/**
 * A stand-in `TimeoutStrategy` for selection tests: a hard one refuses functions that
 * cannot be shipped and tasks the context forbids (as the real worker and process
 * strategies do), any refuses when `refuse` says so; `run` is never called by a selection.
 */
export function fakeStrategy(
  name: string,
  enforcement: 'soft' | 'hard',
  options: {
    needs?: 'workersAllowed' | 'childProcessesAllowed' | 'webWorkersAvailable';
    refuse?: string;
  } = {},
): TimeoutStrategy {
  return {
    name,
    enforcement,
    supports(task, context): StrategySupport {
      if (options.refuse !== undefined) return { supported: false, reason: options.refuse };
      if (enforcement === 'hard') {
        const shippable = shippableSupport(task);
        if (!shippable.supported) return shippable;
      }
      if (options.needs !== undefined && context?.[options.needs] === false) {
        return { supported: false, reason: `the ${name} strategy needs ${options.needs}` };
      }
      return { supported: true };
    },
    run: async () => {
      throw new Error('a selection must not run the task');
    },
    close: async () => {},
  };
}

/** The three strategies with the names and enforcement of the real ones. */
export function fakeStrategies(): {
  worker: TimeoutStrategy;
  process: TimeoutStrategy;
  thread: TimeoutStrategy;
  all: TimeoutStrategy[];
} {
  const worker = fakeStrategy('worker', 'hard', { needs: 'workersAllowed' });
  const process = fakeStrategy('process', 'hard', { needs: 'childProcessesAllowed' });
  const thread = fakeStrategy('thread', 'soft');
  return { worker, process, thread, all: [worker, process, thread] };
}

/** A Linux Node main thread where everything is allowed; override what a test needs. */
export function nodeContext(overrides: Partial<DetectedContext> = {}): DetectedContext {
  return {
    runtime: 'node',
    runtimeVersion: '20.20.2',
    platform: 'linux',
    thread: 'main',
    ipcChannel: false,
    permissionModel: false,
    workerThreadsAvailable: true,
    childProcessAvailable: true,
    workersAllowed: true,
    childProcessesAllowed: true,
    webWorkersAvailable: false,
    threadTerminationStopsBusyThreads: true,
    availableParallelism: 4,
    ci: false,
    ...overrides,
  };
}

/** A logger that keeps its lines. */
export function recordingLogger(): { logger: Logger; warnings: string[]; lines: string[] } {
  const warnings: string[] = [];
  const lines: string[] = [];
  const logger: Logger = {
    debug: (message) => lines.push(message),
    info: (message) => lines.push(message),
    warn: (message) => {
      warnings.push(message);
      lines.push(message);
    },
    error: (message) => lines.push(message),
  };
  return { logger, warnings, lines };
}
