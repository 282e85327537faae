// Task functions written in TypeScript, run in workers and child processes by
// typescript-host.mjs.

/** Doubles a number; the type annotations need a TypeScript loader. */
export function double(value: number): number {
  const twice: number = value * 2;
  return twice;
}

/** Never returns: only a hard stop ends it. */
export function spin(): never {
  for (;;) {
    // a synchronous loop
  }
}
