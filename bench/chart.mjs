// Draws bench/results.svg: one small bar chart per key comparison of timebox with its
// peers (medians as bars, p10–p90 as lines), with Vega-Lite rendered to SVG by Vega.
//
// run-all.mjs calls drawChart() with the rows its suites recorded (JSON lines, see
// printTable in lib/stats.mjs). Run alone, it reads the tables of a results file instead:
//
//   node bench/chart.mjs [results.md or rows.jsonl] [--out file.svg]
//
// (defaults: bench/results.md, bench/results.svg). A comparison missing from the data is
// left out of the chart and named on the console.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile } from 'vega-lite';

const benchDirectory = fileURLToPath(new URL('.', import.meta.url));

/**
 * The comparisons drawn, in reading order (two per row): the suite file, a pattern for the
 * table title as printTable() printed it, the panel title and the unit on its axis.
 */
const panels = [
  {
    suite: 'worker.mjs',
    table: /^Sequential round trip of a trivial task, pinned to one CPU/,
    title: 'Worker: round trip, pinned to one CPU',
    unit: 'µs per call',
  },
  {
    suite: 'process.mjs',
    table: /^warm sequential round trip/,
    title: 'Process: warm round trip',
    unit: 'ms per call',
  },
  {
    suite: 'worker.mjs',
    table: /^1000 concurrent trivial tasks on 2 workers/,
    title: 'Worker: 1000 concurrent tasks, 2 workers',
    unit: 'ms per 1000 tasks',
  },
  {
    suite: 'thread.mjs',
    table: /^Cost per call/,
    title: 'Thread: cost per call',
    unit: 'µs per call',
  },
  {
    suite: 'worker.mjs',
    table: /^while \(true\) \{\} with a 50 ms limit: rejection/,
    title: 'Worker: rejection after a 50 ms deadline',
    unit: 'ms after the deadline',
  },
  {
    suite: 'process.mjs',
    table: /^while \(true\) \{\} after starting `sleep 1000`, 50 ms limit: rejection/,
    title: 'Process: rejection after a 50 ms deadline',
    unit: 'ms after the deadline',
  },
  {
    suite: 'worker.mjs',
    table: /^Next trivial task right after a kill/,
    title: 'Worker: next task after a kill',
    unit: 'ms from the rejection to its result',
  },
  {
    suite: 'process.mjs',
    table: /^next trivial task right after a kill/,
    title: 'Process: next task after a kill',
    unit: 'ms from the call until it starts',
  },
];

const kinds = ['timebox', 'peer library', 'no library (floor)'];
const kindColors = ['#d9480f', '#6b7b8c', '#c3cad3'];

/**
 * Width of a text in Helvetica/Arial, from rough per-character advances (in em). Vega
 * measures text with a canvas when one is installed and otherwise guesses 0.8 em per
 * character, which truncates labels and leaves gaps; this guess is closer.
 */
function textWidth(item, text) {
  const value = String(text ?? item.text ?? '');
  const size = item.fontSize ?? 11;
  let ems = 0;
  for (const character of value) {
    if (" ijlI.,:;'|!".includes(character)) ems += 0.28;
    else if ('ftr()[]{}-/'.includes(character)) ems += 0.34;
    else if ('mwMW@'.includes(character)) ems += 0.86;
    else if (/[A-Z×]/.test(character)) ems += 0.68;
    else ems += 0.55;
  }
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  return ems * size * (bold ? 1.08 : 1);
}
vega.textMetrics.width = textWidth;

/** Largest over smallest value in a panel above which its axis is logarithmic. */
const logScaleSpread = 20;

/** timebox, a peer library, or the bare mechanism every library builds on. */
function kindOf(contender) {
  if (/^timebox/.test(contender)) return kinds[0];
  if (/^(raw|direct await|Promise\.race|bare fork)/.test(contender)) return kinds[2];
  return kinds[1];
}

/** Shorter names for the longest contender names of the suites. */
const shortNames = new Map([
  ['workerpool (workerTerminateTimeout: 1)', 'workerpool (terminate timeout 1)'],
  ['execa (cancelSignal 50 ms after start)', 'execa (cancelSignal)'],
  ['bare fork (child.kill() 50 ms after start)', 'bare fork + child.kill()'],
  ['timebox process (default graceMs 100)', 'timebox process, graceMs 100'],
  ['thread, task calls taskSignal()', 'timebox thread + taskSignal()'],
  ['thread strategy', 'timebox thread'],
]);

/** The name shown on the chart (the thread suite calls the timebox rows "thread …"). */
function displayName(suite, contender) {
  const short = shortNames.get(contender) ?? contender;
  return suite === 'thread.mjs' && /^thread/.test(short) ? `timebox ${short}` : short;
}

/** Parses a number as printed in a table or stored in JSON ("Infinity", "—" and such: NaN). */
function toNumber(value) {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  const number = Number.parseFloat(String(value).replace(/,/g, ''));
  return Number.isNaN(number) ? Number.NaN : number;
}

/** Rows recorded as JSON lines by printTable() while TIMEBOX_BENCH_DATA was set. */
export function parseJsonLines(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/**
 * Rows of every printTable() table in a results.md (or a suite's printed output): the suite
 * comes from the `<!-- name.mjs -->` line before it, the title from its `###` heading.
 */
export function parseResultsMarkdown(text) {
  const rows = [];
  let suite = 'unknown';
  let table;
  let unit;
  for (const line of text.split('\n')) {
    const suiteMatch = /^<!-- (\S+\.mjs) -->$/.exec(line.trim());
    if (suiteMatch) {
      suite = suiteMatch[1];
      continue;
    }
    const heading = /^###\s+(.*)$/.exec(line);
    if (heading) {
      table = heading[1].trim();
      unit = undefined;
      continue;
    }
    const header =
      /^\|\s*contender\s*\|\s*median \(([^)]*)\)\s*\|\s*p10\s*\|\s*p90\s*\|\s*samples\s*\|/.exec(
        line,
      );
    if (header) {
      unit = header[1];
      continue;
    }
    if (!line.startsWith('|')) {
      if (line.trim() !== '') unit = undefined;
      continue;
    }
    if (unit === undefined || table === undefined || /^\|[-|\s]+\|$/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.length < 5) continue;
    rows.push({
      suite,
      table,
      unit,
      contender: cells[0],
      median: cells[1],
      p10: cells[2],
      p90: cells[3],
      count: Number.parseInt(cells[4], 10),
    });
  }
  return rows;
}

/** `Run on …` and `Machine: …` from the header of a results.md, where present. */
export function parseResultsHeader(text) {
  return {
    runAt: /^Run on (\S+?)\.? /m.exec(text)?.[1],
    machine: /^Machine: (.*)$/m.exec(text)?.[1],
  };
}

/** The Vega-Lite view of one comparison, or undefined when the data lacks it. */
function panelSpec(panel, rows) {
  const matching = rows.filter((row) => row.suite === panel.suite && panel.table.test(row.table));
  // A suite run twice into the same data file: keep the last table of that title.
  const lastTitle = matching.at(-1)?.table;
  const values = matching
    .filter((row) => row.table === lastTitle)
    .map((row) => {
      const median = toNumber(row.median);
      const p10 = toNumber(row.p10);
      const p90 = toNumber(row.p90);
      return {
        contender: displayName(panel.suite, row.contender),
        kind: kindOf(displayName(panel.suite, row.contender)),
        median,
        p10: Number.isFinite(p10) ? p10 : median,
        p90: Number.isFinite(p90) ? p90 : median,
      };
    })
    .filter((row) => Number.isFinite(row.median) && row.median > 0);
  if (values.length === 0) return undefined;

  const smallest = Math.min(...values.map((row) => Math.min(row.median, row.p10)));
  const largest = Math.max(...values.map((row) => Math.max(row.median, row.p90)));
  const logarithmic = largest / Math.max(smallest, Number.MIN_VALUE) > logScaleSpread;
  const lowestPower = Math.floor(Math.log10(smallest));
  const highestPower = Math.ceil(Math.log10(largest * 4));
  const domain = logarithmic ? [10 ** lowestPower, 10 ** highestPower] : [0, largest * 1.3];
  for (const row of values) {
    row.base = domain[0];
    row.labelAt = Math.max(row.median, row.p90);
    row.label = formatValue(row.median);
  }
  const powersOfTen = [];
  for (let power = lowestPower; power <= highestPower; power++) powersOfTen.push(10 ** power);
  const x = {
    type: 'quantitative',
    scale: logarithmic
      ? { type: 'log', domain, nice: false }
      : { type: 'linear', domain, nice: false, zero: true },
    axis: {
      title: `${panel.unit}${logarithmic ? ' (log scale)' : ''}`,
      ...(logarithmic ? { values: powersOfTen, format: '~g' } : { tickCount: 5 }),
      grid: true,
    },
  };
  return {
    title: { text: panel.title, anchor: 'start', fontSize: 13 },
    width: 300,
    height: { step: 17 },
    data: { values },
    encoding: {
      y: {
        field: 'contender',
        type: 'nominal',
        sort: null,
        axis: {
          title: null,
          labelLimit: 220,
          minExtent: 220,
          maxExtent: 220,
          labelFontWeight: {
            condition: { test: 'test(/^timebox/, datum.value)', value: 'bold' },
            value: 'normal',
          },
        },
      },
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.75 } },
        encoding: {
          x: { field: 'median', ...x },
          x2: { field: 'base' },
          color: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: kindColors } },
        },
      },
      {
        mark: { type: 'rule', color: '#222', strokeWidth: 1 },
        encoding: { x: { field: 'p10', ...x }, x2: { field: 'p90' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 10 },
        encoding: {
          x: { field: 'labelAt', ...x },
          text: { field: 'label' },
          color: {
            condition: { test: "datum.kind === 'timebox'", value: kindColors[0] },
            value: '#333',
          },
        },
      },
    ],
  };
}

/** A value with three significant digits at most, as the tables print it. */
function formatValue(value) {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : value >= 1 ? 2 : 3;
  return value.toFixed(digits);
}

/**
 * Renders the chart of `rows` ({ suite, table, unit, contender, median, p10, p90, count })
 * to SVG text. Resolves with { svg, drawn, missing } (panel titles).
 */
export async function renderChart(rows, { runAt, machine } = {}) {
  const drawn = [];
  const missing = [];
  const views = [];
  for (const panel of panels) {
    const spec = panelSpec(panel, rows);
    if (spec) {
      views.push(spec);
      drawn.push(panel.title);
    } else {
      missing.push(panel.title);
    }
  }
  if (views.length === 0) return { svg: undefined, drawn, missing };
  const subtitle = [
    'Bars: medians; lines: p10–p90 of interleaved samples. Lower is better. Compare within a panel.',
    [runAt ? `Run ${runAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '', machine ?? '']
      .filter(Boolean)
      .join(' · '),
  ].filter(Boolean);
  const specification = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'timebox and its peers', subtitle, anchor: 'start', fontSize: 17 },
    background: 'white',
    padding: 16,
    concat: views,
    columns: 2,
    spacing: { row: 28, column: 36 },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: {
      aria: false,
      font: 'Helvetica, Arial, sans-serif',
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', titleColor: '#444' },
      legend: {
        orient: 'top',
        direction: 'horizontal',
        title: null,
        labelFontSize: 12,
        symbolType: 'square',
        labelLimit: 300,
      },
      title: { subtitleFontSize: 11, subtitleColor: '#555' },
    },
  };
  const { spec } = compile(specification);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  // A static image: a <title> names it for screen readers, in place of the ARIA roles that
  // Vega gives its interactive marks.
  const svg = (await view.toSVG())
    .replace(/ (role|aria-roledescription|aria-hidden)="[^"]*"/g, '')
    .replace(/^(<svg[^>]*>)/, `$1<title>timebox and its peers: ${drawn.join('; ')}</title>`);
  view.finalize();
  return { svg, drawn, missing };
}

/** Renders `rows` to `outFile`, reporting on the console which panels were drawn. */
export async function writeChart(rows, outFile, header = {}) {
  const { svg, drawn, missing } = await renderChart(rows, header);
  if (missing.length > 0) console.log(`chart: no data for ${missing.join('; ')}`);
  if (svg === undefined) {
    console.log(`chart: nothing to draw, ${outFile} left as it was`);
    return false;
  }
  writeFileSync(outFile, svg);
  console.log(`Wrote ${outFile} (${drawn.length} of ${panels.length} panels).`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argumentsGiven = process.argv.slice(2);
  const outIndex = argumentsGiven.indexOf('--out');
  const outFile =
    outIndex >= 0 ? argumentsGiven[outIndex + 1] : join(benchDirectory, 'results.svg');
  const source =
    argumentsGiven.find(
      (argument, index) => !argument.startsWith('--') && (outIndex < 0 || index !== outIndex + 1),
    ) ?? join(benchDirectory, 'results.md');
  const text = readFileSync(source, 'utf8');
  const rows = source.endsWith('.jsonl') ? parseJsonLines(text) : parseResultsMarkdown(text);
  const header = source.endsWith('.jsonl') ? {} : parseResultsHeader(text);
  if (!(await writeChart(rows, outFile, header))) process.exitCode = 1;
}
