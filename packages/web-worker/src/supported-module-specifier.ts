import type { StrategySupport } from '@timebox/core';

const supported: StrategySupport = Object.freeze({ supported: true });
const schemes = ['http:', 'https:', 'blob:', 'data:', 'file:'];

/**
 * Whether a web worker can import a module task's `module`: a URL (`http(s):`, `blob:`,
 * `data:`, `file:`), or an absolute file path outside browsers (Bun, Deno). A worker does
 * not inherit the page's import map or base URL, so bare names and relative paths are
 * refused with the way to write them.
 */
export function supportsModuleSpecifier(module: string | URL): StrategySupport {
  const text = module instanceof URL ? module.href : module;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*:)/.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && !/^[a-zA-Z]:[\\/]/.test(text)) {
    if (schemes.includes(scheme)) return supported;
    return {
      supported: false,
      reason: `a web worker cannot import module ${JSON.stringify(text)}: its scheme ${scheme} is none of ${schemes.join(', ')}`,
    };
  }
  const absolutePath = text.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(text);
  const inBrowser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  if (absolutePath && !inBrowser) return supported;
  return {
    supported: false,
    reason: `a web worker cannot import module ${JSON.stringify(text)}: workers do not inherit the page's import map or base URL; pass a full URL such as new URL(${JSON.stringify(text)}, import.meta.url)`,
  };
}
