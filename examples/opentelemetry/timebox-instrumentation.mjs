// Turns timebox's diagnostics channels into OpenTelemetry spans and metrics, with nothing
// but the official @opentelemetry/api: one span per run (`timebox <task>`), and
//   timebox.runs             counter    every settled run, by strategy and outcome
//   timebox.timeouts         counter    runs that passed their limit, by strategy and forced
//   timebox.forced_kills     counter    runners killed by force, from the runner events (a
//                                       forced timeout also shows in timebox.timeouts)
//   timebox.run.duration     histogram  ms from the call to the settlement, by strategy
//   timebox.wait.duration    histogram  ms a task waited for a runner (hard strategies)
//   timebox.runner.events    counter    runner events (spawned, killed, crashed…), by event
// Copy it into an application as it is; `instrumentTimebox({ tracer, meter })` returns a
// function that unsubscribes everything.
import diagnosticsChannel from 'node:diagnostics_channel';
import { SpanStatusCode } from '@opentelemetry/api';
import { timeboxChannels } from 'timebox';

/** Span attributes for the caller's metadata: primitive values only, under timebox.metadata. */
function metadataAttributes(metadata) {
  const attributes = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (['string', 'number', 'boolean'].includes(typeof value)) {
      attributes[`timebox.metadata.${key}`] = value;
    }
  }
  return attributes;
}

/** The runner events and, for each, what it adds to the metrics beyond its count. */
const runnerEvents = [
  ['spawned', timeboxChannels.runnerSpawned],
  ['spare-ready', timeboxChannels.runnerSpareReady],
  ['task-started', timeboxChannels.runnerTaskStarted],
  ['killed', timeboxChannels.runnerKilled],
  ['crashed', timeboxChannels.runnerCrashed],
  ['quarantined', timeboxChannels.runnerQuarantined],
];

export function instrumentTimebox({ tracer, meter }) {
  const runs = meter.createCounter('timebox.runs', { description: 'Settled runs' });
  const timeouts = meter.createCounter('timebox.timeouts', {
    description: 'Runs that passed their time limit',
  });
  const forcedKills = meter.createCounter('timebox.forced_kills', {
    description: 'Runners that had to be killed by force',
  });
  const runDuration = meter.createHistogram('timebox.run.duration', {
    description: 'Time from the call to the settlement, including any wait for a runner',
    unit: 'ms',
  });
  const waitDuration = meter.createHistogram('timebox.wait.duration', {
    description: 'Time a task waited in the queue for a runner',
    unit: 'ms',
  });
  const runnerEventCount = meter.createCounter('timebox.runner.events', {
    description: 'Runner events of the hard strategies',
  });

  const spans = new WeakMap();
  const run = diagnosticsChannel.tracingChannel(timeboxChannels.run);
  const runHandlers = {
    start(message) {
      spans.set(
        message,
        tracer.startSpan(`timebox ${message.task}`, {
          attributes: {
            'timebox.task': message.task,
            'timebox.strategy': message.strategy,
            'timebox.enforcement': message.enforcement,
            'timebox.timeout_ms': message.timeout,
            ...metadataAttributes(message.metadata),
          },
        }),
      );
    },
    asyncEnd(message) {
      const span = spans.get(message);
      const labels = { 'timebox.strategy': message.strategy };
      runs.add(1, { ...labels, 'timebox.outcome': message.outcome });
      runDuration.record(message.elapsed, labels);
      // A hard strategy rejects at once and stops the runner after: the message says
      // `stillRunning: true` and no `forced` then. The error's `stopped` promise settles
      // with how the stop ended, and the error's fields are up to date by then.
      const stopped =
        message.outcome === 'timed-out' && message.error?.stopped instanceof Promise
          ? message.error.stopped
          : undefined;
      if (message.outcome === 'timed-out') {
        if (stopped === undefined) {
          timeouts.add(1, { ...labels, 'timebox.forced': message.forced === true });
        } else {
          stopped.then((report) =>
            timeouts.add(1, { ...labels, 'timebox.forced': report.forced === true }),
          );
        }
      }
      if (span === undefined) return;
      span.setAttribute('timebox.outcome', message.outcome);
      span.setAttribute('timebox.elapsed_ms', message.elapsed);
      if (message.outcome !== 'completed') {
        if (message.error instanceof Error) span.recordException(message.error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: message.outcome });
      }
      const stopFacts = (forced, stillRunning) => {
        if (forced !== undefined) span.setAttribute('timebox.forced', forced);
        if (stillRunning !== undefined) span.setAttribute('timebox.still_running', stillRunning);
      };
      if (stopped === undefined) {
        stopFacts(message.forced, message.stillRunning);
        span.end();
        return;
      }
      // The span ends when the caller got the error; its stop facts wait for the report.
      const rejectedAt = new Date();
      stopped.then(() => {
        stopFacts(message.error.forced, message.error.stillRunning);
        span.end(rejectedAt);
      });
    },
  };
  run.subscribe(runHandlers);

  const runnerHandlers = runnerEvents.map(([event, channel]) => {
    const handler = (message) => {
      const labels = { 'timebox.strategy': message.strategy };
      runnerEventCount.add(1, { ...labels, 'timebox.event': event });
      if (event === 'task-started') waitDuration.record(message.waitTime, labels);
      if (event === 'killed' && message.forced) forcedKills.add(1, labels);
    };
    diagnosticsChannel.subscribe(channel, handler);
    return [channel, handler];
  });

  return function uninstrument() {
    run.unsubscribe(runHandlers);
    for (const [channel, handler] of runnerHandlers) {
      diagnosticsChannel.unsubscribe(channel, handler);
    }
  };
}
