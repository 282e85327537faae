import { defineTask, type Logger, type Task } from '@timebox/core';
import { it } from 'vitest';

/** A task that runs `exportName` of a fixture module, named `conformance <exportName>`. */
export type ModuleTaskMaker = <Args extends unknown[], Result>(
  exportName: string,
  timeout?: number,
) => Task<Args, Result>;

/** Makes tasks that run exports of the fixture module at `module`. */
export function moduleTasksOf(module: URL): ModuleTaskMaker {
  return <Args extends unknown[], Result>(exportName: string, timeout = 10_000) =>
    defineTask<Args, Result>({
      name: `conformance ${exportName}`,
      timeout,
      run: { module, export: exportName },
    });
}

/** Resource types that a leaked timer, worker, process or pipe shows up as. */
const leakableResources = new Set([
  'Timeout',
  'Immediate',
  'Worker',
  'MessagePort',
  'ProcessWrap',
  'PipeWrap',
  'TCPWrap',
  'Signal',
]);

/** Counts the active resources of each leakable type. */
export function countLeakableResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const resource of process.getActiveResourcesInfo()) {
    if (leakableResources.has(resource)) counts.set(resource, (counts.get(resource) ?? 0) + 1);
  }
  return counts;
}

/** The leakable resources added since `baseline`, as `2 × Worker` lines. */
export function resourcesAddedSince(baseline: Map<string, number>): string[] {
  const added: string[] = [];
  for (const [resource, count] of countLeakableResources()) {
    const extra = count - (baseline.get(resource) ?? 0);
    if (extra > 0) added.push(`${extra} × ${resource}`);
  }
  return added;
}

/** Waits for `promise` and gives its outcome without throwing. */
export async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const [result] = await Promise.allSettled([promise]);
  return result as PromiseSettledResult<T>;
}

/** The reason `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const result = await settle(promise);
  if (result.status === 'fulfilled') {
    throw new Error(`expected a rejection, got a result: ${String(result.value)}`);
  }
  return result.reason;
}

/** A logger that keeps every line, to assert what was logged. */
export function recordingLogger(): {
  logger: Logger;
  lines: Array<{ level: string; message: string }>;
} {
  const lines: Array<{ level: string; message: string }> = [];
  const record =
    (level: string) =>
    (message: string): void => {
      lines.push({ level, message });
    };
  return {
    logger: {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
    lines,
  };
}

/**
 * `it` when a case applies to the strategy (its capability flag is on), else nothing: a case
 * for something the strategy does not offer is not registered, as hard-only cases are not
 * registered for a soft strategy.
 */
export function itWhen(applies: boolean | undefined): typeof it {
  return applies === true ? it : ((() => {}) as unknown as typeof it);
}
