// Runs every benchmark suite in bench/suites/*.mjs, one after another, each in its own
// `node --expose-gc` process, streaming its output; then writes everything, under a header
// with the date, the machine and the library versions, to bench/results.md; and draws the
// key comparisons of the run to bench/results.svg (see chart.mjs), from the rows that every
// printTable() call records in a temporary file named by TIMEBOX_BENCH_DATA.
//
// Usage: node bench/run-all.mjs [suite names…] [--options passed to every suite]
// (from the repository root: npx -y pnpm@12.4.2 run bench, which builds the packages first)
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonLines, writeChart } from './chart.mjs';
import { machineLine } from './lib/stats.mjs';

const benchDirectory = fileURLToPath(new URL('.', import.meta.url));
const suitesDirectory = join(benchDirectory, 'suites');
const resultsFile = join(benchDirectory, 'results.md');
const chartFile = join(benchDirectory, 'results.svg');
const dataFile = join(tmpdir(), `timebox-bench-${process.pid}.jsonl`);

const requested = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
const suiteOptions = process.argv.slice(2).filter((argument) => argument.startsWith('--'));

const suites = readdirSync(suitesDirectory)
  .filter((file) => file.endsWith('.mjs'))
  .filter((file) => requested.length === 0 || requested.includes(basename(file, '.mjs')))
  .sort();

/** `name version` for every dependency of the bench package, read from its installed copy. */
function libraryVersions() {
  const manifest = JSON.parse(readFileSync(join(benchDirectory, 'package.json'), 'utf8'));
  const dependencies = manifest.dependencies ?? {};
  return Object.keys(dependencies)
    .sort()
    .map((name) => {
      const fromWorkspace = String(dependencies[name]).startsWith('workspace:');
      try {
        const installed = JSON.parse(
          readFileSync(join(benchDirectory, 'node_modules', name, 'package.json'), 'utf8'),
        );
        return `${name} ${installed.version}${fromWorkspace ? ' (this workspace)' : ''}`;
      } catch {
        return `${name} (not installed)`;
      }
    });
}

/** Runs one suite, echoing its output as it comes; resolves with the output and exit code. */
function runSuite(file) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(
      process.execPath,
      ['--expose-gc', join(suitesDirectory, file), ...suiteOptions],
      {
        cwd: benchDirectory,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TIMEBOX_BENCH_DATA: dataFile },
      },
    );
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      chunks.push(chunk);
    });
    child.on('error', (error) => {
      chunks.push(Buffer.from(`\ncould not start ${file}: ${error.message}\n`));
    });
    child.on('close', (code, signal) => {
      resolve({ output: Buffer.concat(chunks).toString('utf8'), code, signal });
    });
  });
}

const runAt = new Date().toISOString();
const machine = machineLine();
const header = [
  '# timebox benchmarks',
  '',
  `Run on ${runAt} with \`npx -y pnpm@12.4.2 run bench\` (or \`node bench/run-all.mjs\`)${suiteOptions.length > 0 ? `, options ${suiteOptions.join(' ')}` : ''}.`,
  '',
  `Machine: ${machine}`,
  '',
  `Libraries: ${libraryVersions().join(', ')}`,
  '',
  'Each suite runs in its own `node --expose-gc` process. Timings are medians over interleaved',
  'rounds on a shared machine: compare rows of one table, not numbers across runs.',
  '',
].join('\n');

console.log(header);
writeFileSync(dataFile, '');
const sections = [header];
let failed = 0;
if (suites.length === 0) console.log('No suites found in bench/suites.');
for (const file of suites) {
  console.log(`\n<!-- ${file} -->`);
  const started = performance.now();
  const { output, code, signal } = await runSuite(file);
  const seconds = ((performance.now() - started) / 1_000).toFixed(1);
  let section = `\n<!-- ${file} -->\n${output.trimEnd()}\n`;
  if (code !== 0) {
    failed++;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const note = `\n**${file} ${how}.**\n`;
    console.log(note);
    section += note;
  }
  console.log(`\n(${file}: ${seconds} s)`);
  sections.push(section);
}

writeFileSync(resultsFile, `${sections.join('\n').trimEnd()}\n`);
console.log(
  `\nWrote ${resultsFile} (${suites.length} suites${failed > 0 ? `, ${failed} failed` : ''}).`,
);

try {
  const rows = parseJsonLines(readFileSync(dataFile, 'utf8'));
  if (!(await writeChart(rows, chartFile, { runAt, machine }))) failed++;
} catch (error) {
  failed++;
  console.log(`Could not draw ${chartFile}: ${error.stack ?? error}`);
} finally {
  rmSync(dataFile, { force: true });
}
if (failed > 0) process.exitCode = 1;
