// Type-checks every ```ts block of README.md and packages/*/README.md under strict
// TypeScript (module nodenext), as a user would paste it into a file of their own.
//
// Each block becomes one ES module in a scratch project inside the workspace
// (node_modules/.cache/readme-examples), whose node_modules links every workspace package
// by its npm name, so the blocks import the packages' built declarations (`dist/`: build
// first). Errors are reported against the README's own line numbers.
//
// A block that cannot compile on purpose is marked in its fence with the reason:
//   ```ts ignore-check: shows a signature, not a program
// Keep those rare: a reader copies blocks as they are.
//
// Usage: node scripts/check-readme-examples.mjs
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeBlocks } from './markdown-code-blocks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, 'node_modules', '.cache', 'readme-examples');

/** The README files to read: the root one and each package's. */
function readmeFiles() {
  const packages = join(root, 'packages');
  return [
    join(root, 'README.md'),
    ...readdirSync(packages)
      .map((name) => join(packages, name, 'README.md'))
      .filter((file) => existsSync(file)),
  ];
}

/** The blocks of a Markdown text that hold TypeScript or JavaScript. */
function exampleBlocks(markdown) {
  return codeBlocks(markdown).filter((block) =>
    /^(ts|typescript|js|javascript)\b/.test(block.info),
  );
}

/**
 * Links each workspace package into the scratch project's node_modules by its npm name,
 * and the peers that README examples import beside them (bullmq, ioredis) from the
 * examples' own node_modules.
 */
function linkWorkspacePackages() {
  for (const peer of ['bullmq', 'ioredis']) {
    symlinkSync(
      join(root, 'examples', 'node_modules', peer),
      join(scratch, 'node_modules', peer),
      'dir',
    );
  }
  const packages = join(root, 'packages');
  for (const folder of readdirSync(packages)) {
    const manifestFile = join(packages, folder, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const { name } = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const link = join(scratch, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(packages, folder), link, 'dir');
  }
}

rmSync(scratch, { recursive: true, force: true });
mkdirSync(join(scratch, 'node_modules'), { recursive: true });
linkWorkspacePackages();
writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
writeFileSync(
  join(scratch, 'tsconfig.json'),
  `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        allowJs: true,
        checkJs: true,
      },
      include: ['**/*.ts', '**/*.mjs'],
      exclude: ['node_modules'],
    },
    null,
    2,
  )}\n`,
);

const origins = new Map();
let checked = 0;
let ignored = 0;
const badMarks = [];
for (const readme of readmeFiles()) {
  const readmePath = relative(root, readme);
  for (const block of exampleBlocks(readFileSync(readme, 'utf8'))) {
    const mark = /\bignore-check\b(.*)$/.exec(block.info);
    if (mark) {
      if (!/^:\s*\S/.test(mark[1])) {
        badMarks.push(`${readmePath}:${block.firstLine - 1}: ignore-check needs a reason`);
      }
      ignored++;
      continue;
    }
    const extension = /^(js|javascript)\b/.test(block.info) ? 'mjs' : 'ts';
    // Each README's blocks share a folder, and a block that names its file on its first
    // line (`// tasks.ts`) is written under that name, so the README's other blocks can
    // import it as the reader would (`./tasks.js`).
    const folder = readmePath.replaceAll('/', '-').replace(/\.md$/, '');
    const named = /^\/\/ ([\w-]+)\.(?:ts|mts|js|mjs)\b/.exec(block.lines[0] ?? '')?.[1];
    const file = `${folder}/${named ?? `line-${block.firstLine}`}.${extension}`;
    mkdirSync(join(scratch, folder), { recursive: true });
    writeFileSync(join(scratch, file), `${block.lines.join('\n')}\nexport {};\n`);
    origins.set(file, { readmePath, firstLine: block.firstLine });
    checked++;
  }
}
if (badMarks.length > 0) {
  console.error(badMarks.join('\n'));
  process.exit(1);
}

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', scratch, '--pretty', 'false'], {
  cwd: scratch,
  encoding: 'utf8',
});
// JavaScript blocks have no types to check, so for them only the errors that would stop
// the program count: a name or a module that does not exist, an import the package does
// not export. TypeScript blocks count every error.
const javaScriptErrorCodes = new Set(['TS2304', 'TS2305', 'TS2307', 'TS2552', 'TS2724', 'TS18004']);
const diagnostics = [];
for (const line of `${result.stdout}${result.stderr}`.split('\n')) {
  const error = /^([^\s(]+\.m?[jt]s)\((\d+),(\d+)\): error (TS\d+):/.exec(line);
  if (!error) {
    if (line.trim() !== '' && diagnostics.at(-1)?.counts) diagnostics.at(-1).text += `\n${line}`;
    continue;
  }
  const [whole, file, lineNumber, column, code] = error;
  const origin = origins.get(file);
  const where = origin
    ? `${origin.readmePath}:${origin.firstLine + Number(lineNumber) - 1}:${column}`
    : whole;
  const counts = !file.endsWith('.mjs') || javaScriptErrorCodes.has(code);
  diagnostics.push({
    counts,
    text: `${where}:${line.slice(whole.length - ` error ${code}:`.length)}`,
  });
}
const errors = diagnostics.filter((diagnostic) => diagnostic.counts);
if (errors.length > 0 || (result.status !== 0 && diagnostics.length === 0)) {
  console.error(errors.map((error) => error.text).join('\n') || `${result.stdout}${result.stderr}`);
  console.error(`README examples: the blocks above do not compile (${checked} checked)`);
  process.exit(1);
}
console.log(
  `README examples: ${checked} ts and js blocks compile (ts under strict TypeScript)` +
    (ignored > 0 ? ` (${ignored} marked ignore-check)` : ''),
);
