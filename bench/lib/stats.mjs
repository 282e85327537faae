// Small helpers that every benchmark suite shares: timing, summaries and printing.
import { appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { basename } from 'node:path';

/** Median of numbers. */
export function median(values) {
  return percentile(values, 50);
}

/** The p-th percentile (0-100) of numbers, by nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Median, p10, p90 and count of a list of samples. */
export function summarize(values) {
  return {
    median: median(values),
    p10: percentile(values, 10),
    p90: percentile(values, 90),
    count: values.length,
  };
}

/** Milliseconds since a performance.now() reading. */
export function since(start) {
  return performance.now() - start;
}

/**
 * Runs `rounds` rounds; in each round every contender runs once, in rotating order, so that
 * machine drift hits all of them equally. `contenders` maps a name to an async function
 * returning one sample (a number). Returns name -> samples.
 */
export async function interleave(contenders, rounds) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length];
      samples[name].push(await contenders[name]());
    }
  }
  return samples;
}

/** Formats a number with a unit, e.g. format(0.0421, 'ms') -> "0.042 ms". */
export function format(value, unit = '') {
  if (!Number.isFinite(value)) return String(value);
  const digits =
    Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** A number for JSON: finite numbers as they are, Infinity and NaN as their names. */
function jsonNumber(value) {
  return Number.isFinite(value) ? value : String(value);
}

/**
 * Appends one JSON line per row of a printed table to the file named by the
 * TIMEBOX_BENCH_DATA environment variable (set by run-all.mjs; nothing happens without it):
 * { suite, table, unit, contender, median, p10, p90, count }.
 */
function recordTable(title, unit, summaries) {
  const file = process.env.TIMEBOX_BENCH_DATA;
  if (!file) return;
  const suite = basename(process.argv[1] ?? 'unknown');
  const lines = Object.entries(summaries).map(([contender, summary]) =>
    JSON.stringify({
      suite,
      table: title,
      unit,
      contender,
      median: jsonNumber(summary.median),
      p10: jsonNumber(summary.p10),
      p90: jsonNumber(summary.p90),
      count: summary.count,
    }),
  );
  appendFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * Prints a table of summaries with a ratio column against `baseline` (a row name), and a
 * verdict against an optional target: { row, maxRatio } or { row, maxValue }. With
 * TIMEBOX_BENCH_DATA set, also records the rows as JSON lines for the chart.
 */
export function printTable(title, unit, summaries, { baseline, targets = [] } = {}) {
  recordTable(title, unit, summaries);
  console.log(`\n### ${title}\n`);
  console.log(
    `| contender | median (${unit}) | p10 | p90 | samples |${baseline ? ` × ${baseline} |` : ''}`,
  );
  console.log(`|---|---|---|---|---|${baseline ? '---|' : ''}`);
  const base = baseline ? summaries[baseline]?.median : undefined;
  for (const [name, summary] of Object.entries(summaries)) {
    const ratio = base ? ` ${format(summary.median / base)} |` : '';
    console.log(
      `| ${name} | ${format(summary.median)} | ${format(summary.p10)} | ${format(summary.p90)} | ${summary.count} |${ratio}`,
    );
  }
  for (const target of targets) {
    const summary = summaries[target.row];
    if (!summary) continue;
    const value = target.maxRatio !== undefined ? summary.median / base : summary.median;
    const limit = target.maxRatio ?? target.maxValue;
    const met = value <= limit;
    console.log(
      `\ntarget: ${target.description} — ${format(value)}${target.maxRatio !== undefined ? '×' : ` ${unit}`} (limit ${limit}${target.maxRatio !== undefined ? '×' : ` ${unit}`}): ${met ? 'met' : 'NOT met'}`,
    );
  }
}

/** A line describing the machine and Node, for the top of every report. */
export function machineLine() {
  return `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}`;
}
