import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { chromiumBrowser, rawStaticFiles } from '../../vitest.browser.js';
import { packageTests } from '../../vitest.shared.js';

const folder = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  plugins: [
    rawStaticFiles({
      '/timebox-static/dist/': folder('./dist/'),
      '/timebox-static/fixtures/': folder('./src/test-fixtures/'),
    }),
  ],
  test: {
    ...packageTests,
    browser: chromiumBrowser,
  },
});
