// How a service other than ingestion verifies API keys, against a real ingestion (development broker,
// test PostgreSQL): the guard of platform-access with IngestionApiKeyVerifier in a small app that
// stands for any other service, asking ingestion's GET /v1/api-keys/self. Revocation reaches it within
// its key cache time; with ingestion down, keys it saw lately keep working until then, others get 503.
import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { AccessModule, RequireScope } from '@leadstream/platform-access';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '@leadstream/platform-observability';
import { serveApiDocs } from '@leadstream/platform-service';
import { until } from '@leadstream/testing';
import { startIntakeApp, TEST_ADMIN_KEY as ADMIN_KEY, type IntakeTestApp } from '../leads/intake-int-kit.spec';

/** A read route of the kind every other service has. */
@Controller('v1/reports')
@RequireScope('read')
class ReportProbeController {
  @Get('funnel')
  funnel(): { stages: string[] } {
    return { stages: ['received', 'MQL', 'SQL'] };
  }
}

@Module({ imports: [AccessModule.forRoot('analytics')], controllers: [ReportProbeController] })
class OtherServiceProbe {}

/** Short, so that a revocation is seen within a test; long enough that a request right after one still finds the cached verdict. */
const KEY_CACHE_MS = 3_000;

let ingestion: IntakeTestApp;
let other: INestApplication;
let otherUrl: string;

function call(url: string, pathName: string, key?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== undefined) headers.set('authorization', `Bearer ${key}`);
  return fetch(`${url}${pathName}`, { ...init, headers });
}

async function createKey(name: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const response = await call(ingestion.baseUrl, '/v1/api-keys', ADMIN_KEY, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, scopes }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

async function revoke(id: string, url = ingestion.baseUrl): Promise<void> {
  expect((await call(url, `/v1/api-keys/${id}`, ADMIN_KEY, { method: 'DELETE' })).status).toBe(200);
}

async function message(response: Response): Promise<string> {
  return ((await response.json()) as { message: string }).message;
}

beforeAll(async () => {
  ingestion = await startIntakeApp();
  const saved = { url: process.env['INGESTION_URL'], cache: process.env['ANALYTICS_API_KEY_CACHE_MS'] };
  process.env['INGESTION_URL'] = ingestion.baseUrl;
  process.env['ANALYTICS_API_KEY_CACHE_MS'] = String(KEY_CACHE_MS);
  try {
    // Not bootstrapService: this probe has no stage runtime (Kafka, a schema) to connect, only the HTTP edge.
    other = await NestFactory.create(OtherServiceProbe, { logger: createLogger('analytics', { level: 'error' }), abortOnError: false });
    serveApiDocs(other, 'analytics');
    await other.listen(0, '127.0.0.1');
  } finally {
    for (const [name, value] of [['INGESTION_URL', saved.url], ['ANALYTICS_API_KEY_CACHE_MS', saved.cache]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  otherUrl = `http://127.0.0.1:${(other.getHttpServer().address() as { port: number }).port}`;
}, 90_000);

afterAll(async () => {
  await other?.close();
  await ingestion?.stop();
}, 60_000);

describe("ingestion's GET /v1/api-keys/self", () => {
  it('describes the key of the request, whatever its scope, and never its secret', async () => {
    const reader = await createKey('dashboard', ['read']);
    const response = await call(ingestion.baseUrl, '/v1/api-keys/self', reader.key);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(reader.key);
    expect(JSON.parse(text)).toEqual({ id: reader.id, name: 'dashboard', scopes: ['read'], createdAt: expect.any(String), revokedAt: null });
  });

  it('checks the key table itself: a key revoked through another replica is refused at once, not after the cache time', async () => {
    const writer = await createKey('crm sync', ['ingest']);
    // the primary replica now holds a cached verdict that the key is valid
    expect((await call(ingestion.baseUrl, '/v1/api-keys/self', writer.key)).status).toBe(200);
    await revoke(writer.id, await ingestion.startAnotherIngestion());
    const refused = await call(ingestion.baseUrl, '/v1/api-keys/self', writer.key);
    expect(refused.status).toBe(401);
    expect(await message(refused)).toMatch(/^API key 'crm sync' was revoked at /);
  }, 60_000);
});

describe('a key on another service', () => {
  it('answers 401 without a key or with an unknown one, 403 without the scope, and lets a read key in', async () => {
    const missing = await call(otherUrl, '/v1/reports/funnel');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await message(missing)).toBe('missing API key: send Authorization: Bearer <key>');

    const unknown = await call(otherUrl, '/v1/reports/funnel', 'lsk_thisKeyWasNeverIssuedToAnyoneAtAll000000');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await message(unknown)).toBe('unknown API key');

    const writer = await createKey('web forms', ['ingest']);
    const forbidden = await call(otherUrl, '/v1/reports/funnel', writer.key);
    expect(forbidden.status).toBe(403);
    expect(await message(forbidden)).toBe("this route needs an API key with scope 'read' (or 'admin'); key 'web forms' has scopes: ingest");

    const reader = await createKey('reporting', ['read']);
    expect((await call(otherUrl, '/v1/reports/funnel', reader.key)).status).toBe(200);
    expect((await call(otherUrl, '/v1/reports/funnel', ADMIN_KEY)).status).toBe(200);
  });

  it('stops accepting a revoked key within its key cache time, with the revocation named', async () => {
    const reader = await createKey('old dashboard', ['read']);
    expect((await call(otherUrl, '/v1/reports/funnel', reader.key)).status).toBe(200);
    await revoke(reader.id);
    const revokedAt = Date.now();
    // Right after the revocation the cached verdict still stands: the cache is what spares ingestion a request per call.
    expect((await call(otherUrl, '/v1/reports/funnel', reader.key)).status).toBe(200);
    const refused = await until(async () => {
      const response = await call(otherUrl, '/v1/reports/funnel', reader.key);
      return response.status === 200 ? undefined : response;
    }, 'the revocation to reach the other service');
    expect(Date.now() - revokedAt).toBeLessThan(KEY_CACHE_MS + 2_000);
    expect(refused.status).toBe(401);
    expect(await message(refused)).toMatch(/^API key 'old dashboard' was revoked at \d{4}-\d\d-\d\dT/);
  }, 30_000);

  it('keeps the OpenAPI document and /health/* public', async () => {
    expect((await call(otherUrl, '/docs')).status).toBe(200);
    const document = (await (await call(otherUrl, '/docs-json')).json()) as { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
    expect(Object.keys(document.paths)).toContain('/v1/reports/funnel');
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  // Last: ingestion stays down afterwards.
  it('with ingestion down: a key seen lately works until the cache time is up, then 503; an unseen key gets 503 at once, never 500', async () => {
    const reader = await createKey('wallboard', ['read']);
    const unseen = await createKey('unseen', ['read']);
    expect((await call(otherUrl, '/v1/reports/funnel', reader.key)).status).toBe(200);
    await ingestion.stopIngestion();

    expect((await call(otherUrl, '/v1/reports/funnel', reader.key)).status).toBe(200);
    const unavailable = await call(otherUrl, '/v1/reports/funnel', unseen.key);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('5');
    const body = (await unavailable.json()) as Record<string, unknown>;
    expect(body['message']).toMatch(/^cannot check the API key: the key store is unavailable \(ingestion at http:\/\/127\.0\.0\.1:\d+\/v1\/api-keys\/self did not answer \(ECONNREFUSED\)\); retry later$/);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);

    const expired = await until(async () => {
      const response = await call(otherUrl, '/v1/reports/funnel', reader.key);
      return response.status === 200 ? undefined : response;
    }, 'the cached verdict to expire');
    expect(expired.status).toBe(503);
  }, 30_000);
});
