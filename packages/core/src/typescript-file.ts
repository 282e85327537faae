/** Whether a module specifier names a TypeScript file (`.ts`, `.mts`, `.cts`, `.tsx`). */
export function isTypeScriptModule(specifier: string): boolean {
  if (specifier === lastSpecifier) return lastAnswer;
  lastSpecifier = specifier;
  lastAnswer = /\.[cm]?tsx?$/i.test(specifier.replace(/[?#].*$/, ''));
  return lastAnswer;
}

// The last answer is kept: a strategy asks about the same module on every call of its task.
let lastSpecifier: string | undefined;
let lastAnswer = false;

/** What a TypeScript task module needs where the host cannot load it: the ways out. */
export const typeScriptLoaderAdvice =
  'it is a TypeScript file and this host has no TypeScript loader; run the host under tsx (node --import tsx app.ts, or tsx app.ts), use a Node with type stripping (22.6 or later), or point the task at the compiled .js file';
