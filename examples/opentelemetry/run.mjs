// timebox's diagnostics channels as OpenTelemetry spans and metrics. Run it with
//   node examples/opentelemetry/run.mjs
// (after `npx -y pnpm@12.4.2 run build`). It runs four tasks under the thread strategy — one
// that resolves, one that throws, one that passes its limit and one the caller aborts —
// and prints the spans and metrics an exporter would send. In an application, pass the
// tracer and meter of your own SDK set-up to instrumentTimebox().
import { defineTask, runTaskWithTimeout, threadStrategy } from 'timebox';
import { telemetryInMemory } from './telemetry-in-memory.mjs';
import { instrumentTimebox } from './timebox-instrumentation.mjs';

const telemetry = telemetryInMemory();
const uninstrument = instrumentTimebox(telemetry);
const strategy = threadStrategy();

const square = defineTask({ name: 'square', timeout: 1_000, run: async (n) => n * n });
const parse = defineTask({ name: 'parse', timeout: 1_000, run: (text) => JSON.parse(text) });
const hang = defineTask({ name: 'hang', timeout: 50, run: () => new Promise(() => {}) });
const wait = defineTask({
  name: 'wait',
  timeout: 1_000,
  run: () => new Promise((resolve) => setTimeout(resolve, 500)),
});

const aborting = new AbortController();
setTimeout(() => aborting.abort(new Error('the request was cancelled')), 20);
await Promise.allSettled([
  runTaskWithTimeout(square, [12], { strategy, metadata: { requestId: 'r-1' } }),
  runTaskWithTimeout(parse, ['{ not json'], { strategy }),
  runTaskWithTimeout(hang, [], { strategy }),
  runTaskWithTimeout(wait, [], { strategy, signal: aborting.signal }),
]);

console.log('spans:');
for (const span of telemetry.spans()) {
  const { attributes } = span;
  const status = span.status.code === 2 ? `ERROR (${span.status.message})` : 'OK';
  const extra = attributes['timebox.metadata.requestId']
    ? `, requestId ${attributes['timebox.metadata.requestId']}`
    : '';
  console.log(
    `  ${span.name.padEnd(14)} ${status.padEnd(20)} strategy ${attributes['timebox.strategy']}, limit ${attributes['timebox.timeout_ms']} ms, took ${Math.round(attributes['timebox.elapsed_ms'])} ms${extra}`,
  );
}
console.log('metrics:');
for (const [name, points] of await telemetry.metrics()) {
  for (const point of points) {
    const labels = Object.entries(point.attributes)
      .map(([key, value]) => `${key.replace('timebox.', '')}=${value}`)
      .join(' ');
    const value =
      typeof point.value === 'number'
        ? point.value
        : `count ${point.value.count}, sum ${Math.round(point.value.sum)} ms`;
    console.log(`  ${name} {${labels}} ${value}`);
  }
}

uninstrument();
await strategy.close();
await telemetry.shutdown();
