// Sums the vitest JSON reports (packages/*/test-results.json) into one line,
// "N passed, N failed", and exits non-zero when a test failed or none ran.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const folder of ['packages', 'examples', 'scripts', 'bench']) {
  const base = join(root, folder);
  if (!existsSync(base)) continue;
  const packageFolders =
    folder === 'packages' ? readdirSync(base).map((name) => join(base, name)) : [base];
  for (const packageFolder of packageFolders) {
    const manifest = join(packageFolder, 'package.json');
    if (!existsSync(manifest)) continue;
    const hasTests = Boolean(JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test);
    const report = join(packageFolder, 'test-results.json');
    if (!existsSync(report)) {
      if (hasTests) missing.push(packageFolder.slice(root.length));
      continue;
    }
    const results = JSON.parse(readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    skipped += results.numPendingTests + (results.numTodoTests ?? 0);
  }
}

if (missing.length > 0) {
  console.log(`no test report from: ${missing.join(', ')} (counted as one failure each)`);
  failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
