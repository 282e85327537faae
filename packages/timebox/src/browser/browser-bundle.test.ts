import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ServedApp, serveBundledApp } from './browser-page.js';

const app = fileURLToPath(new URL('../test-fixtures/browser-app.js', import.meta.url));
let browser: Browser;
let served: ServedApp;

beforeAll(async () => {
  served = await serveBundledApp(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('timebox in the browser (esbuild, platform: browser, in Chromium)', () => {
  it('bundles without the Node-only strategies and runs tasks in a Web Worker', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(served.url);
    await page.waitForFunction(() => 'timeboxReport' in globalThis, undefined, {
      timeout: 20_000,
    });
    const report = await page.evaluate(
      () => (globalThis as { timeboxReport?: unknown }).timeboxReport,
    );
    expect(errors).toEqual([]);
    expect(report).toMatchObject({
      selection: 'web-worker',
      reason: expect.stringContaining('this runtime has Web Workers'),
      sum: 5,
      runaway: {
        name: 'TaskTimeoutError',
        strategy: 'web-worker',
        enforcement: 'hard',
        stillRunning: true,
      },
    });
    await page.close();
  });
});
