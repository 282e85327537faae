import {
  type DetectionGlobals,
  loadBuiltinModule,
  type ProcessLike,
  processOf,
} from './builtin-modules.js';
import type { DetectedContext, RuntimeName } from './detected-context.js';

const nodeLikeRuntimes: ReadonlySet<RuntimeName> = new Set(['node', 'bun', 'deno']);

/**
 * Reads the context from a global scope: `globalThis` for {@link detectContext}, a stand-in
 * in tests. Loads `worker_threads`, `child_process` and `os` only through
 * `process.getBuiltinModule`; where that loader is missing (Node before 20.16), Node, Bun
 * and Deno are assumed to have both modules and to run on the main thread.
 */
export function readContext(globals: DetectionGlobals): DetectedContext {
  const process = processOf(globals);
  const runtime = detectRuntime(globals, process);
  const nodeLike = nodeLikeRuntimes.has(runtime);
  const workerThreads = loadBuiltinModule(process, 'node:worker_threads');
  const childProcess = loadBuiltinModule(process, 'node:child_process');
  const workerThreadsAvailable =
    workerThreads === 'unknown' ? nodeLike : workerThreads !== undefined;
  const childProcessAvailable = childProcess === 'unknown' ? nodeLike : childProcess !== undefined;
  const permission = process?.permission;
  const permissionModel = typeof permission?.has === 'function';
  const permitted = (scope: string): boolean => {
    if (!permissionModel) return true;
    try {
      return permission?.has?.(scope) === true;
    } catch {
      return false;
    }
  };
  return Object.freeze({
    runtime,
    runtimeVersion: runtimeVersion(runtime, globals, process),
    platform: typeof process?.platform === 'string' ? process.platform : 'unknown',
    thread: detectThread(globals, workerThreads),
    ipcChannel: typeof process?.send === 'function' && Boolean(process.channel),
    permissionModel,
    workerThreadsAvailable,
    childProcessAvailable,
    workersAllowed: workerThreadsAvailable && permitted('worker'),
    childProcessesAllowed:
      childProcessAvailable && permitted('child') && denoPermits(globals, 'run'),
    webWorkersAvailable: runtime !== 'node' && typeof globals.Worker === 'function',
    threadTerminationStopsBusyThreads: runtime !== 'deno',
    availableParallelism: availableParallelism(globals, process),
    ci: readCi(process),
  });
}

function detectRuntime(globals: DetectionGlobals, process: ProcessLike | undefined): RuntimeName {
  if (typeof denoVersion(globals) === 'string') return 'deno';
  if (typeof process?.versions?.bun === 'string' || globals.Bun !== undefined) return 'bun';
  if (typeof globals.EdgeRuntime === 'string' || userAgent(globals) === 'Cloudflare-Workers') {
    return 'edge';
  }
  if (typeof process?.versions?.node === 'string') return 'node';
  if (globals.window !== undefined && globals.document !== undefined) return 'browser';
  if (
    typeof globals.WorkerGlobalScope === 'function' ||
    typeof globals.importScripts === 'function'
  ) {
    return 'browser';
  }
  return 'unknown';
}

function runtimeVersion(
  runtime: RuntimeName,
  globals: DetectionGlobals,
  process: ProcessLike | undefined,
): string | undefined {
  switch (runtime) {
    case 'node':
      return process?.versions?.node;
    case 'bun':
      return process?.versions?.bun;
    case 'deno':
      return denoVersion(globals);
    default:
      return undefined;
  }
}

function detectThread(
  globals: DetectionGlobals,
  workerThreads: Record<string, unknown> | undefined | 'unknown',
): 'main' | 'worker' {
  if (typeof workerThreads === 'object') {
    return workerThreads.isMainThread === false ? 'worker' : 'main';
  }
  const webWorker =
    globals.window === undefined &&
    (typeof globals.WorkerGlobalScope === 'function' ||
      typeof globals.importScripts === 'function');
  return webWorker ? 'worker' : 'main';
}

function availableParallelism(globals: DetectionGlobals, process: ProcessLike | undefined): number {
  const os = loadBuiltinModule(process, 'node:os');
  if (typeof os === 'object') {
    try {
      if (typeof os.availableParallelism === 'function') {
        return positiveOrOne(os.availableParallelism());
      }
      if (typeof os.cpus === 'function') return positiveOrOne((os.cpus() as unknown[]).length);
    } catch {
      return 1;
    }
  }
  const navigator = globals.navigator as { hardwareConcurrency?: unknown } | undefined;
  return positiveOrOne(navigator?.hardwareConcurrency);
}

function positiveOrOne(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}

function readCi(process: ProcessLike | undefined): boolean {
  try {
    const value = process?.env?.CI;
    return value !== undefined && value !== '' && value !== 'false' && value !== '0';
  } catch {
    return false;
  }
}

function userAgent(globals: DetectionGlobals): unknown {
  const navigator = globals.navigator as { userAgent?: unknown } | undefined;
  return navigator?.userAgent;
}

interface DenoLike {
  readonly version?: { readonly deno?: unknown };
  readonly permissions?: { querySync?: (descriptor: { name: string }) => { state?: unknown } };
}

function denoVersion(globals: DetectionGlobals): string | undefined {
  const version = (globals.Deno as DenoLike | undefined)?.version?.deno;
  return typeof version === 'string' ? version : undefined;
}

function denoPermits(globals: DetectionGlobals, name: string): boolean {
  const permissions = (globals.Deno as DenoLike | undefined)?.permissions;
  if (typeof permissions?.querySync !== 'function') return true;
  try {
    return permissions.querySync({ name }).state === 'granted';
  } catch {
    return false;
  }
}
