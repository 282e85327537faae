import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../../../../vitest.browser.js';

const webWorkerEntry = fileURLToPath(
  import.meta.resolve('@timebox/web-worker/web-worker-entry.js'),
);

/** A browser app bundled with esbuild for the browser, served with its worker entry. */
export interface ServedApp {
  /** The page's URL. */
  readonly url: string;
  /** Stops the server, removes the files. */
  close(): Promise<void>;
}

/**
 * Bundles `entry` with esbuild (`platform: 'browser'`, so `timebox` resolves through its
 * `browser` export condition), copies the prebuilt web worker entry beside the bundle (as a
 * bundler without `new URL(..., import.meta.url)` support needs) and serves both.
 */
export async function serveBundledApp(entry: string): Promise<ServedApp> {
  const folder = await mkdtemp(join(tmpdir(), 'timebox-browser-'));
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(folder, 'app.js'),
    logLevel: 'silent',
  });
  await copyFile(webWorkerEntry, join(folder, 'web-worker-entry.js'));
  await writeFile(
    join(folder, 'index.html'),
    '<!doctype html><title>timebox</title><script type="module" src="app.js"></script>',
  );
  const server: Server = createServer(async (request, response) => {
    const name = (request.url ?? '/').split('?')[0]?.slice(1) || 'index.html';
    try {
      const body = await readFile(join(folder, name.replace(/\.\.+/g, '')));
      response.setHeader(
        'Content-Type',
        extname(name) === '.html' ? 'text/html' : 'text/javascript',
      );
      response.end(body);
    } catch {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}
