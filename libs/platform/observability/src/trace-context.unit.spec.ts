import { startTelemetry, type Telemetry } from './telemetry';
import { currentTraceId, extractTraceContext, injectTraceHeaders, withSpan } from './trace-context';

describe('trace context propagation (W3C tracecontext over plain headers)', () => {
  let telemetry: Telemetry;
  beforeAll(() => {
    delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    telemetry = startTelemetry('observability-unit-test');
  });
  afterAll(() => telemetry.shutdown());

  it('creates sampled spans even though nothing is exported', async () => {
    expect(telemetry.exporting).toBe(false);
    const headers = await withSpan('produce', undefined, () => injectTraceHeaders());
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('continues the producer trace in the consumer, as a new child span', async () => {
    const produced = await withSpan('produce lead.received', undefined, () => ({
      traceId: currentTraceId(),
      headers: injectTraceHeaders(),
    }));
    expect(produced.traceId).toMatch(/^[0-9a-f]{32}$/);

    // Kafka hands headers back as Buffers, with whatever case the producer used.
    const kafkaHeaders = { TraceParent: Buffer.from(produced.headers['traceparent']!), other: undefined };
    const parent = extractTraceContext(kafkaHeaders);
    expect(currentTraceId(parent)).toBe(produced.traceId);

    const consumed = await withSpan('consume lead.received', parent, (span) => ({
      traceId: currentTraceId(),
      spanId: span.spanContext().spanId,
    }));
    expect(consumed.traceId).toBe(produced.traceId);
    expect(consumed.spanId).not.toBe(produced.headers['traceparent']!.split('-')[2]);
  });

  it('gives each lead of a batch its own trace', async () => {
    const traceIds = await Promise.all([1, 2, 3].map((n) => withSpan(`lead ${n}`, undefined, () => currentTraceId())));
    expect(new Set(traceIds).size).toBe(3);
  });

  it('reports no trace outside a span, and a message without trace headers starts a fresh trace', async () => {
    expect(currentTraceId()).toBeUndefined();
    expect(injectTraceHeaders()).toEqual({});
    const bare = extractTraceContext({ 'content-type': 'application/json' });
    expect(currentTraceId(bare)).toBeUndefined();
    const traceId = await withSpan('edge', bare, () => currentTraceId());
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('ignores a malformed traceparent instead of failing', () => {
    expect(currentTraceId(extractTraceContext({ traceparent: 'garbage' }))).toBeUndefined();
  });

  it('records the error on the span and rethrows it', async () => {
    await expect(
      withSpan('failing', undefined, () => {
        throw new Error('broker unavailable');
      }),
    ).rejects.toThrow('broker unavailable');
    expect(currentTraceId()).toBeUndefined();
  });
});
