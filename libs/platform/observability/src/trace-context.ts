import {
  type Context,
  type Span,
  type SpanKind,
  type Attributes,
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
} from '@opentelemetry/api';

export type { Context, Span } from '@opentelemetry/api';

const TRACER_NAME = '@leadstream/platform-observability';

/** Header values as they come from HTTP or Kafka (kafkajs gives Buffers, sometimes arrays). */
export type TraceHeaderValue = string | Buffer | readonly (string | Buffer)[] | undefined;

/**
 * The W3C trace context (`traceparent`, `tracestate`, `baggage`) of `ctx` (default: the active
 * context) as plain string headers, ready to put on a Kafka message or an HTTP request.
 * Empty when there is no valid span in `ctx` or telemetry was not started.
 */
export function injectTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/**
 * The context carried by `headers` (case-insensitive names; Buffer values decoded as UTF-8).
 * Returns a context without a span when the headers carry none, so it is always safe to use as a parent.
 */
export function extractTraceContext(headers: Readonly<Record<string, TraceHeaderValue>> | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === null) continue;
    carrier[name.toLowerCase()] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The trace id of the span active in `ctx` (default: the active context), if any. */
export function currentTraceId(ctx: Context = context.active()): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

export interface WithSpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
}

/**
 * Runs `fn` inside a new active span that is a child of `parentCtx` (or of the active context when
 * `parentCtx` is undefined). The span ends when `fn` settles; a thrown error is recorded on it and
 * rethrown. Consumers use it to process each lead of a batch under that lead's own trace.
 */
export async function withSpan<T>(
  name: string,
  parentCtx: Context | undefined,
  fn: (span: Span) => Promise<T> | T,
  options: WithSpanOptions = {},
): Promise<T> {
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, parentCtx ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
