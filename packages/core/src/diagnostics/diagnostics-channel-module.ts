/**
 * Finds Node's `diagnostics_channel` without a static `node:` import, so that core still
 * loads in browsers (where nothing is published). On Node ≥ 20.16, Bun and Deno the
 * module comes synchronously from `process.getBuiltinModule()`; on older Node 20 the
 * CommonJS build takes it from `module.require`, and the ESM build imports it once, when
 * this file is first evaluated: measured, it is there about 16 microtasks later, before the
 * first timer or I/O callback; only runs started before then go unpublished.
 */

/** The part of a `diagnostics_channel` channel that timebox uses. */
export interface PublishingChannel {
  /** Whether anyone listens; publishing is skipped when nobody does. */
  readonly hasSubscribers: boolean;
  /** Sends `message` to every subscriber, synchronously. */
  publish(message: unknown): void;
  /** Runs `run` with the stores bound to this channel set from `message` (Node ≥ 19.9). */
  runStores?<Result>(message: unknown, run: () => Result): Result;
}

/** The part of the `diagnostics_channel` module that timebox uses. */
export interface DiagnosticsChannelModule {
  /** The channel of that name, shared by everyone in the process who asks for it. */
  channel(name: string): PublishingChannel;
}

/** The globals the lookup reads, so that a test can hand it another runtime. */
export interface DiagnosticsRuntime {
  readonly process?:
    | {
        readonly getBuiltinModule?: ((id: string) => unknown) | undefined;
        readonly versions?: { readonly node?: string | undefined } | undefined;
      }
    | undefined;
}

/** What the lookup found: the module now, a promise of it, or nothing in this runtime. */
export type DiagnosticsChannelLookup =
  | { readonly kind: 'ready'; readonly module: DiagnosticsChannelModule }
  | { readonly kind: 'loading'; readonly loaded: Promise<DiagnosticsChannelModule | undefined> }
  | { readonly kind: 'absent' };

// Held in a variable, with bundler hints, so that browser bundlers leave the import alone.
const moduleName = 'node:diagnostics_channel';

function isDiagnosticsChannelModule(value: unknown): value is DiagnosticsChannelModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<DiagnosticsChannelModule>).channel === 'function'
  );
}

/** In the CommonJS build on Node, `module.require` loads it synchronously; in ESM, nothing. */
function requireInCommonJs(): unknown {
  try {
    return typeof module === 'object' && typeof module?.require === 'function'
      ? module.require(moduleName)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Looks `diagnostics_channel` up in `runtime` (the global object by default): synchronously
 * through `process.getBuiltinModule`, else by a dynamic import on Node, else not at all.
 */
export function lookUpDiagnosticsChannel(
  runtime: DiagnosticsRuntime = globalThis as DiagnosticsRuntime,
): DiagnosticsChannelLookup {
  const host = runtime.process;
  if (typeof host?.getBuiltinModule === 'function') {
    const found = host.getBuiltinModule(moduleName);
    if (isDiagnosticsChannelModule(found)) return { kind: 'ready', module: found };
  }
  if (typeof host?.versions?.node !== 'string') return { kind: 'absent' };
  const required = requireInCommonJs();
  if (isDiagnosticsChannelModule(required)) return { kind: 'ready', module: required };
  const loaded = import(/* webpackIgnore: true */ /* @vite-ignore */ moduleName).then(
    (imported: unknown) => {
      const candidate = (imported as { default?: unknown }).default ?? imported;
      return isDiagnosticsChannelModule(candidate) ? candidate : undefined;
    },
    () => undefined,
  );
  return { kind: 'loading', loaded };
}

let current: DiagnosticsChannelModule | undefined;
const lookup = lookUpDiagnosticsChannel();
if (lookup.kind === 'ready') {
  current = lookup.module;
} else if (lookup.kind === 'loading') {
  void lookup.loaded.then((module) => {
    current = module;
  });
}

/**
 * `diagnostics_channel` when this runtime has it and it has been found; `undefined` in
 * browsers, and on Node 20.11–20.15 until its import settles (just after core loads).
 */
export function diagnosticsChannelModule(): DiagnosticsChannelModule | undefined {
  return current;
}
