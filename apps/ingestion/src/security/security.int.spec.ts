// The security edge of ingestion against the real development broker and the test PostgreSQL:
// API keys and scopes (401 / 403), the admin API, the bootstrap key, rate limits (429), Idempotency-Key,
// 413, and the public OpenAPI document.
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { TOPICS } from '@leadstream/contracts';
import { until } from '@leadstream/testing';
import { startIntakeApp, TEST_ADMIN_KEY as ADMIN_KEY, type IntakeTestApp } from '../leads/intake-int-kit.spec';
import { Public } from '@leadstream/platform-access';

/** A public route of the kind web forms are, to exercise the per-client limit and public Idempotency-Keys. */
@Public()
@Controller('test-public')
class PublicProbeController {
  private calls = 0;

  @Post()
  @HttpCode(200)
  hit(@Body() body: unknown): { call: number; body: unknown } {
    this.calls += 1;
    return { call: this.calls, body };
  }
}

let app: IntakeTestApp;
let db: Client;

function call(method: string, pathName: string, options: { key?: string; body?: unknown; headers?: Record<string, string>; url?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers['authorization'] = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  return fetch(`${options.url ?? app.baseUrl}${pathName}`, { method, headers, body });
}

async function createKey(name: string, scopes: string[]): Promise<{ id: string; key: string; scopes: string[] }> {
  const response = await call('POST', '/v1/api-keys', { key: ADMIN_KEY, body: { name, scopes } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string; scopes: string[] };
}

/** Records on lead.received so far (the sum of its partitions' high watermarks). */
function leadReceivedCount(): Promise<number> {
  return app.recordsOn(TOPICS.leadReceived);
}

beforeAll(async () => {
  app = await startIntakeApp({
    env: { INGESTION_MAX_BODY: '64kb', INGESTION_PUBLIC_RATE_LIMIT_PER_S: '0.01', INGESTION_PUBLIC_RATE_LIMIT_BURST: '3' },
    controllers: [PublicProbeController],
  });
  db = new Client({ connectionString: process.env['LEADSTREAM_TEST_DATABASE_URL'] });
  await db.connect();
}, 90_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
}, 60_000);

describe('API keys: 401 and 403', () => {
  it('answers 401 with WWW-Authenticate: Bearer when no key is sent, or a blank one', async () => {
    for (const headers of [{}, { authorization: '   ' }] as Record<string, string>[]) {
      const response = await call('POST', '/v1/leads', { body: { email: 'no.key@example.org' }, headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ message: 'missing API key: send Authorization: Bearer <key>' });
    }
  });

  it('answers 401 for a malformed Authorization header and for an unknown key, saying which', async () => {
    const malformed = await call('GET', '/v1/api-keys', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(malformed.status).toBe(401);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/^malformed Authorization header/);

    const unknown = await call('GET', '/v1/api-keys', { key: 'lsk_thisKeyWasNeverIssuedToAnyoneAtAll000000' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ message: 'unknown API key' });
  });

  it('answers 403 naming the scope needed and the scopes the key has', async () => {
    const reader = await createKey('dashboard', ['read']);
    const adminOnly = await call('GET', '/v1/api-keys', { key: reader.key });
    expect(adminOnly.status).toBe(403);
    expect(((await adminOnly.json()) as { message: string }).message).toBe(
      "this route needs an API key with scope 'admin'; key 'dashboard' has scopes: read",
    );
    const ingest = await call('POST', '/v1/leads', { key: reader.key, body: { email: 'reader@example.org' } });
    expect(ingest.status).toBe(403);
    expect(((await ingest.json()) as { message: string }).message).toMatch(/scope 'ingest'.*has scopes: read/);
  });

  it('lets an ingest key post leads and an admin key do everything', async () => {
    const writer = await createKey('crm sync', ['ingest']);
    expect((await call('POST', '/v1/leads', { key: writer.key, body: { email: 'writer@example.org' } })).status).toBe(202);
    expect((await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'admin@example.org' } })).status).toBe(202);
  });

  it('keeps /health/* and the OpenAPI document public', async () => {
    expect((await call('GET', '/health/live')).status).toBe(200);
    expect((await call('GET', '/health/ready')).status).toBe(200);
    expect((await call('GET', '/docs')).status).toBe(200);
    expect((await call('GET', '/docs-json')).status).toBe(200);
  });
});

describe('admin API', () => {
  it('creates a key shown once, lists keys without secrets, revokes a key so it stops working', async () => {
    const created = await createKey('  website  ', ['ingest', 'read']);
    expect(created).toMatchObject({ name: 'website', scopes: ['ingest', 'read'] });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.key).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
    expect((await call('POST', '/v1/leads', { key: created.key, body: { email: 'before.revoke@example.org' } })).status).toBe(202);

    const listed = await call('GET', '/v1/api-keys', { key: ADMIN_KEY });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(created.key);
    const keys = JSON.parse(text) as { id: string; name: string; scopes: string[]; revokedAt: string | null; key?: string }[];
    expect(keys.find((key) => key.id === created.id)).toEqual({ id: created.id, name: 'website', scopes: ['ingest', 'read'], createdAt: expect.any(String), revokedAt: null });
    expect(keys.every((key) => key.key === undefined)).toBe(true);

    const [stored] = (await db.query('SELECT key_hash FROM ingestion.api_key WHERE id = $1', [created.id])).rows as { key_hash: Buffer }[];
    expect(stored!.key_hash.equals(createHash('sha256').update(created.key).digest())).toBe(true);

    const revoked = await call('DELETE', `/v1/api-keys/${created.id}`, { key: ADMIN_KEY });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).toEqual(expect.any(String));

    const refused = await call('POST', '/v1/leads', { key: created.key, body: { email: 'after.revoke@example.org' } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toMatch(/^API key 'website' was revoked at /);
  });

  it('answers 400 for unknown scopes or a missing name, 404 for revoking no such key', async () => {
    const badScope = await call('POST', '/v1/api-keys', { key: ADMIN_KEY, body: { name: 'x', scopes: ['superuser'] } });
    expect(badScope.status).toBe(400);
    expect(JSON.stringify(await badScope.json())).toMatch(/each scope must be one of: ingest, read, admin/);
    const noName = await call('POST', '/v1/api-keys', { key: ADMIN_KEY, body: { scopes: ['read'] } });
    expect(noName.status).toBe(400);
    expect(await noName.json()).toMatchObject({ message: ['name: required: what the key is for, e.g. "CRM sync"'], fields: ['name'] });
    expect((await call('DELETE', '/v1/api-keys/00000000-0000-4000-8000-000000000000', { key: ADMIN_KEY })).status).toBe(404);
    expect((await call('DELETE', '/v1/api-keys/not-a-uuid', { key: ADMIN_KEY })).status).toBe(400);
  });
});

describe('Idempotency-Key', () => {
  it('answers a retry with the first answer, and publishes nothing more', async () => {
    const before = await leadReceivedCount();
    const body = { email: 'retry.me@example.org', firstName: 'Retry' };
    const first = await call('POST', '/v1/leads', { key: ADMIN_KEY, body, headers: { 'idempotency-key': 'order-7731' } });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const { leadId } = (await first.json()) as { leadId: string };

    for (let retry = 0; retry < 2; retry++) {
      const again = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { firstName: 'Retry', email: 'retry.me@example.org' }, headers: { 'idempotency-key': 'order-7731' } });
      expect(again.status).toBe(202);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await again.json()).toEqual({ leadId });
    }
    // Every 202 is sent only after Kafka acknowledged, so whatever was published is counted by now.
    expect((await leadReceivedCount()) - before).toBe(1);
  });

  it('never stores a new API key secret: a retried key creation gets the same id with the secret redacted', async () => {
    const request = { key: ADMIN_KEY, body: { name: 'retried', scopes: ['read'] }, headers: { 'idempotency-key': 'make-key-1' } };
    const first = await call('POST', '/v1/api-keys', request);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { id: string; key: string };
    expect(created.key).toMatch(/^lsk_/);
    const again = await call('POST', '/v1/api-keys', request);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toMatchObject({ id: created.id, key: '(redacted: shown only in the first answer)' });
    const stored = await db.query(`SELECT response_body::text AS body FROM ingestion.idempotency_record WHERE idempotency_key = 'make-key-1'`);
    expect(JSON.stringify(stored.rows)).not.toContain(created.key);
    expect((await db.query(`SELECT count(*)::int AS n FROM ingestion.api_key WHERE name = 'retried'`)).rows[0]).toEqual({ n: 1 });
  });

  it('answers 422 for the same key with another body, naming the conflict', async () => {
    expect((await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'one@example.org' }, headers: { 'idempotency-key': 'reused-key' } })).status).toBe(202);
    const conflict = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'two@example.org' }, headers: { 'idempotency-key': 'reused-key' } });
    expect(conflict.status).toBe(422);
    expect(((await conflict.json()) as { message: string }).message).toBe(
      "Idempotency-Key 'reused-key' was already used for POST /v1/leads with a different request body; a key can only be reused for the same route and body; use a new key for a new request",
    );
  });

  it('answers 422 for the same key on another route, naming the route it was first used for (not the body)', async () => {
    const body = { name: 'route-probe', scopes: ['read'] };
    expect((await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'route.probe@example.org' }, headers: { 'idempotency-key': 'route-key' } })).status).toBe(202);
    const elsewhere = await call('POST', '/v1/api-keys', { key: ADMIN_KEY, body, headers: { 'idempotency-key': 'route-key' } });
    expect(elsewhere.status).toBe(422);
    expect(((await elsewhere.json()) as { message: string }).message).toBe(
      "Idempotency-Key 'route-key' was first used for POST /v1/leads, not POST /v1/api-keys; a key can only be reused for the same route and body; use a new key for a new request",
    );
    expect((await db.query(`SELECT count(*)::int AS n FROM ingestion.api_key WHERE name = 'route-probe'`)).rows[0]).toEqual({ n: 0 });
  });

  it('keeps keys per API key: another key may use the same Idempotency-Key for its own request', async () => {
    const other = await createKey('partner', ['ingest']);
    expect((await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'mine@example.org' }, headers: { 'idempotency-key': 'shared-name' } })).status).toBe(202);
    const theirs = await call('POST', '/v1/leads', { key: other.key, body: { email: 'theirs@example.org' }, headers: { 'idempotency-key': 'shared-name' } });
    expect(theirs.status).toBe(202);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 409 while the first request with that key is still in flight, and lets a retry take over an abandoned claim', async () => {
    const writer = await createKey('in-flight', ['ingest']);
    const body = { email: 'in.flight@example.org' };
    // The state of a request still running: its claim, without an answer yet (as written by the interceptor).
    const probe = await call('POST', '/v1/leads', { key: writer.key, body, headers: { 'idempotency-key': 'probe' } });
    expect(probe.status).toBe(202);
    await db.query(
      `INSERT INTO ingestion.idempotency_record (owner, idempotency_key, request_hash)
       SELECT owner, 'running', request_hash FROM ingestion.idempotency_record WHERE owner = $1 AND idempotency_key = 'probe'`,
      [`key:${writer.id}`],
    );
    const busy = await call('POST', '/v1/leads', { key: writer.key, body, headers: { 'idempotency-key': 'running' } });
    expect(busy.status).toBe(409);
    expect(((await busy.json()) as { message: string }).message).toMatch(/Idempotency-Key 'running' is still in progress/);

    // A claim left by a process that died mid-request (older than 120 s) is taken over by the retry.
    await db.query(`UPDATE ingestion.idempotency_record SET created_at = now() - interval '10 minutes' WHERE owner = $1 AND idempotency_key = 'running'`, [`key:${writer.id}`]);
    const retried = await call('POST', '/v1/leads', { key: writer.key, body, headers: { 'idempotency-key': 'running' } });
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('lets concurrent requests with one key create one lead: the others get it replayed or 409', async () => {
    const before = await leadReceivedCount();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'racing@example.org' }, headers: { 'idempotency-key': 'race-1' } })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    const leadIds = new Set(await Promise.all(responses.filter((r) => r.status === 202).map(async (r) => ((await r.json()) as { leadId: string }).leadId)));
    expect(leadIds.size).toBe(1);
    expect((await leadReceivedCount()) - before).toBe(1);
  });

  it('replays a 4xx answer too, and refuses an over-long key with 400', async () => {
    const invalid = { email: 'not-an-email' };
    const first = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: invalid, headers: { 'idempotency-key': 'bad-lead' } });
    expect(first.status).toBe(400);
    const firstBody: unknown = await first.json();
    const again = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: invalid, headers: { 'idempotency-key': 'bad-lead' } });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(firstBody);

    const long = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'long.key@example.org' }, headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { message: string }).message).toMatch(/256 characters long; the most is 255/);
  });

  it('does not keep a 5xx answer: once Kafka is back, the retry goes through', async () => {
    await app.stopBroker();
    try {
      const refused = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'kafka.down@example.org' }, headers: { 'idempotency-key': 'while-down' } });
      expect(refused.status).toBe(503);
    } finally {
      await app.restartBroker();
    }
    const accepted = await until(async () => {
      const response = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'kafka.down@example.org' }, headers: { 'idempotency-key': 'while-down' } });
      return response.status === 202 ? response : undefined;
    }, 'the retry to be accepted');
    expect(accepted.headers.get('idempotent-replayed')).toBeNull();
  }, 90_000);
});

describe('rate limits', () => {
  it('limits public routes per client address and Origin: 429 with Retry-After after the burst', async () => {
    const origin = { origin: 'https://www.example.com' };
    for (let i = 0; i < 3; i++) expect((await call('POST', '/test-public', { body: { n: i }, headers: origin })).status).toBe(200);
    const limited = await call('POST', '/test-public', { body: { n: 3 }, headers: origin });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { message: string }).message).toMatch(/^rate limit of 0\.01 requests\/s for this client address and origin exceeded; retry after \d+ s$/);
    // another origin is another bucket
    expect((await call('POST', '/test-public', { body: { n: 4 }, headers: { origin: 'https://other.example.net' } })).status).toBe(200);
  });

  it('limits each key on its own: 429 with Retry-After after the burst, a batch counting as one request', async () => {
    const other = await createKey('second client', ['admin']);
    const limitedUrl = await app.startAnotherIngestion({ LEADSTREAM_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, INGESTION_RATE_LIMIT_PER_S: '0.01', INGESTION_RATE_LIMIT_BURST: '3' });
    const batch = { leads: Array.from({ length: 50 }, (_, i) => ({ email: `batch${i}@example.org` })) };
    const first = await call('POST', '/v1/leads/batch', { key: ADMIN_KEY, body: batch, url: limitedUrl });
    expect(first.status).not.toBe(429);
    for (let i = 0; i < 2; i++) expect((await call('GET', '/v1/api-keys', { key: ADMIN_KEY, url: limitedUrl })).status).toBe(200);
    const limited = await call('GET', '/v1/api-keys', { key: ADMIN_KEY, url: limitedUrl });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { message: string }).message).toMatch(/^rate limit of 0\.01 requests\/s for this key exceeded; retry after \d+ s$/);
    expect((await call('GET', '/v1/api-keys', { key: other.key, url: limitedUrl })).status).toBe(200);
  }, 60_000);

  it('stores the bootstrap key once, however many times ingestion starts with it', async () => {
    const hash = createHash('sha256').update(ADMIN_KEY).digest();
    const { rows } = await db.query(`SELECT name, scopes FROM ingestion.api_key WHERE key_hash = $1`, [hash]);
    expect(app.boots).toBeGreaterThanOrEqual(2);
    expect(rows).toEqual([{ name: 'bootstrap', scopes: ['admin'] }]);
  });

  it('after the bootstrap key is revoked, stays ready but says so in readiness, on this start and the next', async () => {
    // Its own bootstrap key: the suite's ADMIN_KEY must keep working for the other tests.
    const secret = 'revoked-bootstrap-key-for-this-test-0123456789';
    const url = await app.startAnotherIngestion({ LEADSTREAM_BOOTSTRAP_ADMIN_KEY: secret });
    const readiness = async (base: string) => {
      const response = await fetch(`${base}/health/ready`);
      return { status: response.status, checks: ((await response.json()) as { checks: Record<string, string> }).checks };
    };
    await until(async () => ((await readiness(url)).checks['bootstrap-admin-key'] === 'up' ? true : undefined), 'the second bootstrap key stored');
    const self = (await (await call('GET', '/v1/api-keys/self', { key: secret, url })).json()) as { id: string; name: string };
    expect(self.name).toBe('bootstrap');
    expect((await call('DELETE', `/v1/api-keys/${self.id}`, { key: ADMIN_KEY, url })).status).toBe(200);

    const note = /^up: the bootstrap admin key \(LEADSTREAM_BOOTSTRAP_ADMIN_KEY\) was revoked at \S+ and no longer works; use another admin key, or make a new bootstrap key/;
    const afterRevoking = await readiness(url);
    expect(afterRevoking.status).toBe(200);
    expect(afterRevoking.checks['bootstrap-admin-key']).toMatch(note);
    // A restart with the same secret does not bring it back, and says so too.
    const restarted = await app.startAnotherIngestion({ LEADSTREAM_BOOTSTRAP_ADMIN_KEY: secret });
    await until(async () => (note.test((await readiness(restarted)).checks['bootstrap-admin-key'] ?? '') ? true : undefined), 'readiness of the restart naming the revoked key');
    expect((await readiness(restarted)).status).toBe(200);
    expect((await call('GET', '/v1/api-keys', { key: secret, url: restarted })).status).toBe(401);
  }, 60_000);
});

describe('body size and OpenAPI', () => {
  it('answers 413 naming the limit for a JSON body over INGESTION_MAX_BODY', async () => {
    const response = await call('POST', '/v1/leads', { key: ADMIN_KEY, body: { email: 'big@example.org', company: 'x'.repeat(70_000) } });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toBe('request body too large: the limit is 65536 bytes');
  });

  it('documents the routes and the bearer scheme at /docs-json', async () => {
    const document = (await (await call('GET', '/docs-json')).json()) as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/leads', '/v1/api-keys', '/v1/api-keys/{id}']));
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/v1/api-keys']!['post']!.security).toEqual([{ bearer: [] }]);
  });
});
