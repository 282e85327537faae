// The first hour of a user, as a check: packs every published package, installs the
// tarballs with npm into fresh apps in a temporary folder outside the workspace, and runs
// README examples there as written.
//
//   esm-typescript  timebox and its packages; core's TypeScript example type-checked and
//                   compiled by tsc (module nodenext, strict), then run; timebox's quick start
//   commonjs        timebox and its packages; timebox's CommonJS example
//   core-and-worker @timebox/core and @timebox/worker only; the worker README's example
//
// An example is a README block whose first line names its file (`// example.mjs`). Each
// `console.log(…); // value` line in it must print that value. The packed package.json of
// every package must name real versions of the other timebox packages, not `workspace:`.
// Dependencies outside the workspace (workerpool, typescript) come from the registry.
//
// Usage: node scripts/consumer-check.mjs   (after a build)
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namedExamples, promisedOutput } from './named-examples.mjs';
import { packedManifestProblems } from './packed-manifest-problems.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const timings = [];
const seconds = (milliseconds) => `${(milliseconds / 1000).toFixed(1)} s`;
const scratch = mkdtempSync(join(tmpdir(), 'timebox-consumer-'));
const tarballs = join(scratch, 'tarballs');

/** Runs a command, printing its output only when it fails; returns its stdout. */
function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${options.cwd} (exit ${result.status ?? result.signal})\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** pnpm itself: the one on PATH (under `pnpm run`), else the pinned one through npx. */
function pnpmCommand() {
  const found = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? ['pnpm'] : ['npx', '-y', 'pnpm@12.4.2'];
}

/** The published packages of the workspace: folder, manifest. */
function publishedPackages() {
  const packages = join(root, 'packages');
  return readdirSync(packages)
    .sort()
    .map((folder) => join(packages, folder))
    .filter((folder) => existsSync(join(folder, 'package.json')))
    .map((folder) => ({
      folder,
      manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
}

/** Takes one named example from a README; fails when the README no longer has it. */
function example(readme, file) {
  const source = namedExamples(readFileSync(join(root, readme), 'utf8')).get(file);
  if (source === undefined) throw new Error(`${readme} has no example block starting '// ${file}'`);
  return source;
}

/** Runs an example with node and checks that it printed what its comments promise. */
function runExample(app, file, source) {
  const exampleStarted = performance.now();
  const output = run(process.execPath, [file], { cwd: app, timeout: 60_000 });
  const missing = promisedOutput(source).filter((value) => !output.includes(value));
  if (missing.length > 0) {
    throw new Error(
      `${file} in ${app} did not print ${missing.map((value) => `'${value}'`).join(', ')}; it printed:\n${output}`,
    );
  }
  timings.push(`${file} ran in ${seconds(performance.now() - exampleStarted)}`);
}

const problems = [];
try {
  const packages = publishedPackages();
  const versions = new Map(packages.map(({ manifest }) => [manifest.name, manifest.version]));
  const pnpm = pnpmCommand();
  run(
    pnpm[0],
    [
      ...pnpm.slice(1),
      '--recursive',
      '--filter',
      './packages/*',
      'pack',
      '--pack-destination',
      tarballs,
    ],
    { cwd: root },
  );
  const tarballOf = new Map();
  for (const tarball of readdirSync(tarballs)) {
    const packed = JSON.parse(
      execFileSync('tar', ['-xzOf', join(tarballs, tarball), 'package/package.json'], {
        encoding: 'utf8',
      }),
    );
    tarballOf.set(packed.name, join(tarballs, tarball));
    problems.push(...packedManifestProblems(packed, versions));
  }
  for (const { manifest } of packages) {
    if (!tarballOf.has(manifest.name)) problems.push(`${manifest.name}: not packed`);
  }
  if (problems.length > 0) throw new Error(`packed package.json files:\n${problems.join('\n')}`);
  const packTime = performance.now() - started;

  const apps = join(scratch, 'apps');
  /** Makes an app folder with a package.json and installs the given packs and registry packages. */
  function createApp(name, manifest, packs, registryPackages = []) {
    const appStarted = performance.now();
    const app = join(apps, name);
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name, private: true, ...manifest }, null, 2)}\n`,
    );
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...packs.map((pack) => tarballOf.get(pack)),
        ...registryPackages,
      ],
      { cwd: app },
    );
    timings.push(`${name} installed in ${seconds(performance.now() - appStarted)}`);
    return app;
  }
  /** `names` and every workspace package they depend on, as an app installing them needs. */
  function withWorkspaceDependencies(names) {
    const manifests = new Map(packages.map(({ manifest }) => [manifest.name, manifest]));
    const needed = new Set();
    const visit = (name) => {
      if (needed.has(name) || !manifests.has(name)) return;
      needed.add(name);
      for (const dependency of Object.keys(manifests.get(name).dependencies ?? {})) {
        visit(dependency);
      }
    };
    for (const name of names) visit(name);
    return [...needed];
  }
  const timeboxPackages = withWorkspaceDependencies(['timebox']);

  const esm = createApp('esm-typescript', { type: 'module' }, timeboxPackages, [
    'typescript@5.9.3',
    '@types/node@^20.19.0',
  ]);
  const typedExample = example('packages/core/README.md', 'example.ts');
  writeFileSync(join(esm, 'example.ts'), typedExample);
  writeFileSync(
    join(esm, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          strict: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['example.ts'],
      },
      null,
      2,
    )}\n`,
  );
  const compileStarted = performance.now();
  run(process.execPath, [join(esm, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
    cwd: esm,
  });
  timings.push(`example.ts compiled in ${seconds(performance.now() - compileStarted)}`);
  runExample(esm, 'example.js', typedExample);
  const quickStart = example('packages/timebox/README.md', 'quick-start.mjs');
  writeFileSync(join(esm, 'quick-start.mjs'), quickStart);
  runExample(esm, 'quick-start.mjs', quickStart);

  const commonJs = createApp('commonjs', { type: 'commonjs' }, timeboxPackages);
  const requireExample = example('packages/timebox/README.md', 'quick-start.cjs');
  writeFileSync(join(commonJs, 'quick-start.cjs'), requireExample);
  runExample(commonJs, 'quick-start.cjs', requireExample);

  const coreAndWorker = createApp(
    'core-and-worker',
    { type: 'module' },
    withWorkspaceDependencies(['@timebox/core', '@timebox/worker']),
  );
  const workerExamples = namedExamples(
    readFileSync(join(root, 'packages/worker/README.md'), 'utf8'),
  );
  for (const [file, source] of workerExamples) writeFileSync(join(coreAndWorker, file), source);
  runExample(coreAndWorker, 'example.mjs', example('packages/worker/README.md', 'example.mjs'));

  console.log(
    `consumer check: ${packages.length} packages packed with real internal ranges in ${seconds(packTime)}; ` +
      `${timings.join(', ')}; their README examples ran (esm-typescript after tsc, module nodenext, strict); ` +
      `${seconds(performance.now() - started)} in all`,
  );
} catch (error) {
  console.error(`consumer check failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
