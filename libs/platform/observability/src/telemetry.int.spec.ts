import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../../..');
const fixture = path.join(__dirname, 'test-support/export-one-span.ts');

// In a child process: the OTLP exporter loads its HTTP agent with a dynamic import, which Jest's
// module sandbox refuses.
async function exportOneSpan(env: Record<string, string | undefined>): Promise<{ exporting: boolean; traceId: string }> {
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const { stdout } = await run(process.execPath, ['tools/run-ts.mjs', fixture, 'scoring'], { cwd: root, env: childEnv, timeout: 30_000 });
  return JSON.parse(stdout.trim());
}

describe('startTelemetry export', () => {
  const received: { path: string; body: Buffer }[] = [];
  let collector: http.Server;
  let endpoint: string;

  beforeAll(async () => {
    collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => collector.close(resolve)));
  beforeEach(() => {
    received.length = 0;
  });

  it('sends the spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, with the service name', async () => {
    const result = await exportOneSpan({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    expect(result.exporting).toBe(true);
    const traces = received.filter((r) => r.path === '/v1/traces');
    expect(traces).toHaveLength(1);
    const payload = traces[0]!.body;
    // OTLP/HTTP with JSON encoding (this exporter's format): ids as hex strings.
    const body = JSON.parse(payload.toString('utf8'));
    const resourceSpans = body.resourceSpans[0];
    expect(resourceSpans.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'scoring' } });
    expect(resourceSpans.scopeSpans[0].spans[0]).toMatchObject({ name: 'score lead', traceId: result.traceId });
  }, 40_000);

  it('exports nothing without an endpoint, yet still creates trace ids', async () => {
    const result = await exportOneSpan({ OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined });
    expect(result.exporting).toBe(false);
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(result.traceId).not.toBe('0'.repeat(32));
    expect(received).toEqual([]);
  }, 40_000);
});
