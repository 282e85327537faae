import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { playwright } from '@vitest/browser-playwright';

/** The part of a vite plugin that `rawStaticFiles` uses. */
interface StaticFilesPlugin {
  name: string;
  configureServer(server: {
    middlewares: {
      use(
        handler: (request: IncomingMessage, response: ServerResponse, next: () => void) => void,
      ): void;
    };
  }): void;
}

/**
 * How every browser test and benchmark starts Chromium: Debian's (scripts/ensure-chromium.sh
 * installs it at /usr/bin/chromium) with the flags CI needs (it runs as root, headless).
 */
export const chromiumLaunchOptions: { executablePath: string; args: string[] } = JSON.parse(
  readFileSync(new URL('./scripts/chromium-launch-options.json', import.meta.url), 'utf8'),
);

/**
 * Browser-mode settings shared by packages tested in Chromium: Debian's Chromium (installed
 * by scripts/ensure-chromium.sh; Playwright cannot download its own browsers here) driven
 * through vitest's Playwright provider.
 */
export const chromiumBrowser = {
  enabled: true,
  headless: true,
  screenshotFailures: false,
  provider: playwright({ launchOptions: chromiumLaunchOptions }),
  instances: [{ browser: 'chromium' as const }],
};

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.map': 'application/json',
  '.html': 'text/html',
};

/**
 * Serves folders as they are, under URL prefixes, bypassing vite's transforms: vitest's
 * browser mode rewrites every `import()` it serves into a helper that does not exist inside
 * a Worker, so worker entries and task modules are prebuilt and served raw.
 * `routes` maps a prefix such as `/static/` to a folder.
 */
export function rawStaticFiles(routes: Record<string, string>): StaticFilesPlugin {
  return {
    name: 'timebox-raw-static-files',
    configureServer(server) {
      server.middlewares.use(async (request, response, next) => {
        const path = (request.url ?? '').split('?')[0] ?? '';
        for (const [prefix, folder] of Object.entries(routes)) {
          if (!path.startsWith(prefix)) continue;
          const file = normalize(join(folder, decodeURIComponent(path.slice(prefix.length))));
          if (!file.startsWith(normalize(folder))) break;
          try {
            const body = await readFile(file);
            response.setHeader('Content-Type', contentTypes[extname(file)] ?? 'text/plain');
            response.setHeader('Cache-Control', 'no-store');
            response.end(body);
          } catch {
            response.statusCode = 404;
            response.end();
          }
          return;
        }
        next();
      });
    },
  };
}
