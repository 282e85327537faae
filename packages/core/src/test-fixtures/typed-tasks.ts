// Module tasks written in TypeScript, whose types the tests of moduleTask read.

/** The default export: doubles its argument, later. */
export default async function double(value: number): Promise<number> {
  return value * 2;
}

/** A named export: the hexadecimal digest-like string of a text. */
export function hash(text: string, rounds?: number): string {
  return `${text.length.toString(16)}:${rounds ?? 1}`;
}

/** A named export that is not a function. */
export const notAFunction = 42;
