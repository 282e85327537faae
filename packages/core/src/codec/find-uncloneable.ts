import { describeValue } from '../describe-value.js';

/** Where a value cannot be cloned, and why. */
export interface UncloneableValue {
  /** The path to the value, such as `args[1].handler`. */
  readonly path: string;
  /** Why it cannot be cloned. */
  readonly reason: string;
}

const cloneableClasses: readonly string[] = [
  'Date',
  'RegExp',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Boolean',
  'Number',
  'String',
  'BigInt',
  'Blob',
  'File',
];

const refusedClasses: Readonly<Record<string, string>> = {
  Promise: 'a Promise cannot be cloned; await it inside the task and return the value',
  WeakMap: 'a WeakMap cannot be cloned',
  WeakSet: 'a WeakSet cannot be cloned',
  WeakRef: 'a WeakRef cannot be cloned',
};

/**
 * Classes that a worker thread receives intact but Node's advanced IPC serialization does
 * not: a `Blob` or `File` arrives as an empty object, a `SharedArrayBuffer` cannot be sent.
 */
const refusedAcrossProcesses: Readonly<Record<string, string>> = {
  ...refusedClasses,
  Blob: 'a Blob would arrive in the other process as an empty object; send await blob.arrayBuffer() instead',
  File: 'a File would arrive in the other process as an empty object; send await file.arrayBuffer() and its name instead',
  SharedArrayBuffer:
    'a SharedArrayBuffer cannot be shared with another process; copy it into an ArrayBuffer or a typed array',
};

/**
 * Which boundary a value must cross: `thread` (`postMessage` to a worker thread) or
 * `process` (Node's advanced IPC serialization to a child process).
 */
export type CloneBoundary = 'thread' | 'process';

/**
 * Walks `value` as the structured clone algorithm would and returns the first part that
 * cannot cross a thread or process boundary intact: functions, symbols, promises, weak
 * collections, and instances of user classes (they would arrive as plain objects without
 * their methods or private state); across a `process` boundary also `Blob`, `File` and
 * `SharedArrayBuffer`. Returns undefined when the whole value can cross.
 */
export function findUncloneable(
  value: unknown,
  path: string,
  boundary: CloneBoundary = 'thread',
): UncloneableValue | undefined {
  if (crossesAsIs(value) || holdsOnlyPrimitives(value)) return undefined;
  const refused = boundary === 'process' ? refusedAcrossProcesses : refusedClasses;
  return visit(value, path, new Set(), new Set(), refused);
}

/**
 * Whether `value` is an array of primitives and arrays of primitives (the usual shape of a
 * task's arguments), which every boundary clones as it is: checked without the walk's
 * bookkeeping. Anything else (an object, a deeper array, a cycle) takes the full walk.
 */
function holdsOnlyPrimitives(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (crossesAsIs(item)) continue;
    if (!Array.isArray(item)) return false;
    for (let inner = 0; inner < item.length; inner++) {
      if (!crossesAsIs(item[inner])) return false;
    }
  }
  return true;
}

/**
 * `seen` holds every object visited (cycles are fine for the structured clone algorithm);
 * `causesOpen` holds the errors whose `cause` is being visited: a reference back to one of
 * them is not fine (v8 clones it but cannot read it back).
 */
function visit(
  value: unknown,
  path: string,
  seen: Set<object>,
  causesOpen: Set<Error>,
  refused: Readonly<Record<string, string>>,
): UncloneableValue | undefined {
  if (typeof value === 'function') {
    return {
      path,
      reason: `${describeValue(value)} cannot be cloned; pass data, or make the function a module task`,
    };
  }
  if (typeof value === 'symbol') {
    return { path, reason: `a symbol (${value.toString()}) cannot be cloned` };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (seen.has(value)) {
    return causesOpen.has(value as Error)
      ? { path, reason: 'an error whose cause refers back to the error itself cannot be cloned' }
      : undefined;
  }
  seen.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (crossesAsIs(item)) continue;
      const found = visit(item, `${path}[${index}]`, seen, causesOpen, refused);
      if (found) return found;
    }
    return undefined;
  }
  if (ArrayBuffer.isView(value)) return undefined;
  if (value instanceof Error) {
    // Of an error's own properties, the structured clone keeps its data `cause` (and
    // name, message, stack); the others are dropped, not refused.
    const cause = Object.getOwnPropertyDescriptor(value, 'cause');
    if (cause === undefined || !('value' in cause)) return undefined;
    causesOpen.add(value);
    const found = visit(cause.value, `${path}.cause`, seen, causesOpen, refused);
    causesOpen.delete(value);
    return found;
  }
  if (value instanceof Map) {
    let index = 0;
    for (const [key, entry] of value) {
      const found =
        visit(key, `${path}<map key ${index}>`, seen, causesOpen, refused) ??
        visit(entry, `${path}.get(${describeKey(key)})`, seen, causesOpen, refused);
      if (found) return found;
      index++;
    }
    return undefined;
  }
  if (value instanceof Set) {
    let index = 0;
    for (const entry of value) {
      const found = visit(entry, `${path}<set entry ${index}>`, seen, causesOpen, refused);
      if (found) return found;
      index++;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== null && prototype !== Object.prototype) {
    const className = String((value as { constructor?: { name?: unknown } }).constructor?.name);
    const refusal = refused[className];
    if (refusal) return { path, reason: refusal };
    if (cloneableClasses.includes(className)) return undefined;
    return {
      path,
      reason: `an instance of ${className} would arrive as a plain object, without its methods or private state; send plain data instead`,
    };
  }
  for (const key of Object.keys(value)) {
    const property = (value as Record<string, unknown>)[key];
    if (crossesAsIs(property)) continue;
    const found = visit(property, propertyPath(path, key), seen, causesOpen, refused);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a value is a primitive that every boundary clones as it is, so the walk can pass
 * it by without building its path (the common case for arguments and results).
 */
function crossesAsIs(value: unknown): boolean {
  const type = typeof value;
  return value === null || (type !== 'object' && type !== 'function' && type !== 'symbol');
}

function propertyPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describeKey(key: unknown): string {
  return typeof key === 'string' || typeof key === 'number'
    ? JSON.stringify(key)
    : describeValue(key);
}
