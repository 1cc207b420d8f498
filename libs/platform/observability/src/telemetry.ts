import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOnSampler, BatchSpanProcessor, NoopSpanProcessor, ParentBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Telemetry {
  /** True when spans are exported over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT was set). */
  readonly exporting: boolean;
  /** Flushes pending spans and stops the SDK. Safe to call more than once. */
  shutdown(): Promise<void>;
}

let running: Telemetry | undefined;

/**
 * Starts OpenTelemetry for this process. Call it first in main.ts, before NestJS, `http` or `pg`
 * are loaded, so that their instrumentation hooks are in place.
 *
 * - Spans are always created and sampled (parent-based, always on) so trace ids propagate across
 *   HTTP and Kafka (W3C tracecontext + baggage), and log lines carry them.
 * - They are exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise they
 *   are dropped at the end of the span. No metrics or logs are exported.
 * - HTTP and pg are auto-instrumented. kafkajs is deliberately not: its instrumentation gives one
 *   parent per sendBatch call, while a batch carries many leads and each lead has its own trace;
 *   @leadstream/platform-kafka propagates the context per message with injectTraceHeaders.
 *
 * Calling it again returns the running instance.
 */
export function startTelemetry(serviceName: string): Telemetry {
  if (running) return running;
  const endpoint = process.env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  const exporting = Boolean(endpoint);
  // The exporter reads the endpoint (and headers, timeouts) from the standard OTEL_* variables itself.
  const spanProcessor: SpanProcessor = exporting ? new BatchSpanProcessor(new OTLPTraceExporter()) : new NoopSpanProcessor();
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: [spanProcessor],
    metricReaders: [],
    logRecordProcessors: [],
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    textMapPropagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    instrumentations: [
      new HttpInstrumentation({
        // Health probes every few seconds would otherwise flood the trace store.
        ignoreIncomingRequestHook: (request) => (request.url ?? '').startsWith('/health/'),
      }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  const handle: Telemetry = {
    exporting,
    shutdown: () => {
      stopped ??= sdk.shutdown().finally(() => {
        if (running === handle) running = undefined;
      });
      return stopped;
    },
  };
  running = handle;
  return handle;
}
