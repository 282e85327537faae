import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** `@timebox/select` bundled as a browser app bundles it (the `browser` export condition). */
async function browserBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: "export { defaultSelector, shippableSupport } from '@timebox/select';",
      // A folder whose node_modules has @timebox/select, as an app's would.
      resolveDir: fileURLToPath(new URL('../../timebox/', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild wrote no output');
  return output.text;
}

describe('the browser build', () => {
  it("leaves the engine's inline-function parser out of browser bundles", async () => {
    const bundle = await browserBundle();
    expect(bundle).not.toContain('acorn');
    expect(bundle).not.toContain('eslint-scope');
    // The Node build with the parser is about 250 KB minified.
    expect(bundle.length).toBeLessThan(60_000);
  });

  it('judges inline functions with core’s check there: self-contained yes, bound no', async () => {
    const bundle = await browserBundle();
    const url = `data:text/javascript;base64,${Buffer.from(bundle).toString('base64')}`;
    const select = (await import(url)) as typeof import('./index.js');
    const selfContained = (left: number) => left + 1;
    expect(
      select.shippableSupport({ name: 'add', timeout: 1_000, run: selfContained } as never),
    ).toEqual({ supported: true });
    const bound = select.shippableSupport({
      name: 'bound',
      timeout: 1_000,
      run: selfContained.bind(null),
    } as never);
    expect(bound.supported).toBe(false);
  });
});
