// An OpenTelemetry SDK set up in memory, for the example and its test: a tracer whose
// finished spans and a meter whose metrics can be read back at once.
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export function telemetryInMemory() {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const metricReader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 60_000,
  });
  const meterProvider = new MeterProvider({ readers: [metricReader] });
  return {
    tracer: tracerProvider.getTracer('timebox-example'),
    meter: meterProvider.getMeter('timebox-example'),
    /** The spans ended so far. */
    spans: () => spanExporter.getFinishedSpans(),
    /** Every metric collected now, by name: its data points. */
    async metrics() {
      await metricReader.forceFlush();
      const byName = new Map();
      for (const resourceMetrics of metricExporter.getMetrics()) {
        for (const scope of resourceMetrics.scopeMetrics) {
          for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric.dataPoints);
        }
      }
      return byName;
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
