/** The parts of a runtime's global scope that context detection reads. */
export interface DetectionGlobals {
  /** Node's `process` (also present in Bun and Deno). */
  readonly process?: unknown;
  /** Deno's namespace: its version and permissions. */
  readonly Deno?: unknown;
  /** Bun's namespace. */
  readonly Bun?: unknown;
  /** A string in Vercel's edge runtime. */
  readonly EdgeRuntime?: unknown;
  /** `hardwareConcurrency`, and `userAgent` (`Cloudflare-Workers` there). */
  readonly navigator?: unknown;
  /** Present in a browser page. */
  readonly window?: unknown;
  /** Present in a browser page. */
  readonly document?: unknown;
  /** Present in a web worker. */
  readonly WorkerGlobalScope?: unknown;
  /** The Web `Worker` constructor (browsers, Bun, Deno). */
  readonly Worker?: unknown;
  /** Present in a web worker. */
  readonly importScripts?: unknown;
}

/** The subset of Node's `process` that detection uses; every member may be missing. */
export interface ProcessLike {
  /** `node`, `bun`… versions. */
  readonly versions?: { readonly [name: string]: string | undefined };
  /** `{ name: 'node' }` in Node. */
  readonly release?: { readonly name?: string };
  /** The operating system. */
  readonly platform?: string;
  /** The environment (for `CI`). */
  readonly env?: { readonly [name: string]: string | undefined };
  /** A function when the process has an IPC channel to its parent. */
  readonly send?: unknown;
  /** The IPC channel, when there is one. */
  readonly channel?: unknown;
  /** Node's permission model, present when it is on. */
  readonly permission?: { has?: (scope: string) => boolean };
  /** Loads a built-in module synchronously (Node 20.16+, Bun, Deno). */
  readonly getBuiltinModule?: (id: string) => unknown;
}

/** The process object of `globals`, when it has one. */
export function processOf(globals: DetectionGlobals): ProcessLike | undefined {
  const candidate = globals.process;
  return typeof candidate === 'object' && candidate !== null
    ? (candidate as ProcessLike)
    : undefined;
}

/**
 * Loads a built-in module without a static import, so that this package loads in runtimes
 * that have none: `process.getBuiltinModule` (Node 20.16+, Bun, Deno). Returns `undefined`
 * when the module does not exist, and `'unknown'` when the runtime has no such loader.
 */
export function loadBuiltinModule(
  process: ProcessLike | undefined,
  id: string,
): Record<string, unknown> | undefined | 'unknown' {
  const load = process?.getBuiltinModule;
  if (typeof load !== 'function') return 'unknown';
  try {
    const loaded = load.call(process, id);
    return typeof loaded === 'object' && loaded !== null
      ? (loaded as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
