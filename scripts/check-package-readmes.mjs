// Checks that each published package's README reads whole on npm, where it is shown on its
// own, away from the repository: every link absolute, an install line naming the package, a
// complete example that imports the package, no command that only works in a clone of the
// repository; and that its package.json points back to the repository.
//
// A package with nothing to show yet says so in its README, with the reason:
//   <!-- readme-check: no example (the reason) -->
//
// Usage: node scripts/check-package-readmes.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestProblems, readmeProblems } from './package-readme-problems.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let failures = 0;
let checked = 0;
const packages = join(root, 'packages');
for (const folder of readdirSync(packages).sort()) {
  const manifestFile = join(packages, folder, 'package.json');
  if (!existsSync(manifestFile)) continue;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (manifest.private) continue;
  const readme = join(packages, folder, 'README.md');
  const problems = existsSync(readme)
    ? readmeProblems(manifest.name, readFileSync(readme, 'utf8'))
    : ['no README.md'];
  const messages = [
    ...problems.map((problem) => `packages/${folder}/README.md: ${problem}`),
    ...manifestProblems(folder, manifest).map(
      (problem) => `packages/${folder}/package.json: ${problem}`,
    ),
  ];
  for (const message of messages) console.error(message);
  failures += messages.length;
  checked++;
}
if (failures > 0) {
  console.error(`package READMEs: ${failures} problems in ${checked} packages`);
  process.exit(1);
}
console.log(`package READMEs: ${checked} packages read whole on npm`);
