// API keys on every service of the stack started as `npm start` does: one key works everywhere, each
// route asks for its scope, a revoked key is refused by every service within the key cache time
// (short here), the API docs and /health/* stay public, and the services listen on the loopback only.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { eventually, getWithKey, postJson, startStack, waitForTypes, withLogs, type RunningStack, type Service } from './stack-harness';

/** Short, so that a test sees a revocation arrive; the documented default is 30 s. */
const KEY_CACHE_MS = 1_500;

let stack: RunningStack;
let leadId: string;

/** A route of each service, the scope it needs, and a request to it. */
interface GuardedRoute {
  readonly service: Service;
  readonly scope: 'read' | 'ingest' | 'admin';
  /** As it appears in the service's OpenAPI document. */
  readonly documented: string;
  call(key: string | null): Promise<Response>;
}

function postWithKey(url: string, body: unknown, key: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['authorization'] = `Bearer ${key}`;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

function routes(): GuardedRoute[] {
  const read = (service: Service, path: string, documented: string): GuardedRoute => ({
    service,
    scope: 'read',
    documented,
    call: (key) => getWithKey(`${stack.urls[service]}${path.replace(':id', leadId)}`, key),
  });
  return [
    { service: 'ingestion', scope: 'admin', documented: '/v1/api-keys', call: (key) => getWithKey(`${stack.urls.ingestion}/v1/api-keys`, key) },
    {
      service: 'enrichment',
      scope: 'ingest',
      documented: '/v1/enrichment/preview',
      call: (key) => postWithKey(`${stack.urls.enrichment}/v1/enrichment/preview`, { email: ' Ada.Lovelace@Analytical-Engines.EXAMPLE ', country: 'uk' }, key),
    },
    read('dedupe', '/v1/leads/:id/resolution', '/v1/leads/{id}/resolution'),
    read('scoring', '/v1/leads/:id/score', '/v1/leads/{id}/score'),
    read('routing', '/v1/leads/:id/assignment', '/v1/leads/{id}/assignment'),
    read('nurture', '/v1/leads/:id/enrolments', '/v1/leads/{id}/enrolments'),
    read('analytics', '/v1/leads/:id', '/v1/leads/{id}'),
  ];
}

async function createKey(name: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const created = await postJson(`${stack.urls.ingestion}/v1/api-keys`, { name, scopes });
  expect(created.status).toBe(201);
  return created.body as { id: string; key: string };
}

async function message(response: Response): Promise<string> {
  return String(((await response.json()) as { message: unknown }).message);
}

/** 404 is a granted request too: nurture enrols only leads routed to a queue. */
function granted(status: number): boolean {
  return status === 200 || status === 404;
}

beforeAll(async () => {
  stack = await startStack({ env: { API_KEY_CACHE_MS: String(KEY_CACHE_MS) } });
  const posted = await postJson(`${stack.urls.ingestion}/v1/leads`, { email: `ada.${randomUUID().slice(0, 8)}@analytical-engines.example`, title: 'VP Engineering', company: 'Analytical Engines' });
  expect(posted.status).toBe(202);
  leadId = (posted.body as { leadId: string }).leadId;
  await waitForTypes(stack, leadId, ['lead.assigned'], 90_000);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

describe('API keys on every service', () => {
  it('answers 401 without a key on a route of each service, naming what to send', async () => {
    for (const route of routes()) {
      const response = await route.call(null);
      expect({ service: route.service, status: response.status, challenge: response.headers.get('www-authenticate') }).toEqual({ service: route.service, status: 401, challenge: 'Bearer' });
      expect(await message(response)).toBe('missing API key: send Authorization: Bearer <key>');
    }
  });

  it('answers 403 to a key without the route scope, and lets one with it (or admin) in, on each service', async () => {
    const keys = { read: await createKey('dashboard', ['read']), ingest: await createKey('crm sync', ['ingest']) };
    for (const route of routes()) {
      const wrong = route.scope === 'read' ? keys.ingest : keys.read;
      const refused = await route.call(wrong.key);
      expect({ service: route.service, status: refused.status }).toEqual({ service: route.service, status: 403 });
      expect(await message(refused)).toMatch(new RegExp(`^this route needs an API key with scope '${route.scope}'`));
      const admitted = await route.call(route.scope === 'admin' ? stack.apiKey : keys[route.scope].key);
      expect({ service: route.service, granted: granted(admitted.status) }).toEqual({ service: route.service, granted: true });
    }
  });

  it("serves each service's own data to the key: score, assignment, resolution, enrichment preview", async () => {
    const [score, assignment, resolution] = await Promise.all(
      ['scoring/score', 'routing/assignment', 'dedupe/resolution'].map(async (target) => {
        const [service, tail] = target.split('/') as [Service, string];
        const response = await getWithKey(`${stack.urls[service]}/v1/leads/${leadId}/${tail}`);
        expect({ target, status: response.status }).toEqual({ target, status: 200 });
        return response.json() as Promise<Record<string, unknown>>;
      }),
    );
    expect(score).toMatchObject({ leadId, score: expect.any(Number), grade: expect.any(String) });
    expect(assignment).toMatchObject({ leadId, assignee: { kind: expect.stringMatching(/^(rep|queue)$/), id: expect.any(String) } });
    expect(resolution).toMatchObject({ leadId, outcome: 'new', survivingLeadId: leadId });
    const preview = await routes()[1]!.call(stack.apiKey);
    expect(await preview.json()).toMatchObject({ email: 'ada.lovelace@analytical-engines.example', emailDomain: 'analytical-engines.example', country: 'GB' });
    const badEmail = await postWithKey(`${stack.urls.enrichment}/v1/enrichment/preview`, { email: 'no at sign' }, stack.apiKey);
    expect(badEmail.status).toBe(400);
    expect(await badEmail.json()).toMatchObject({ fields: ['email'] });
    const unknownField = await postWithKey(`${stack.urls.enrichment}/v1/enrichment/preview`, { email: 'ada@example.org', shoeSize: '9' }, stack.apiKey);
    expect(unknownField.status).toBe(400);
    expect(await message(unknownField)).toContain('shoeSize');
  });

  it('answers 404 naming an unknown lead and 400 for an id that is not one, on each read route', async () => {
    const unknown = randomUUID();
    for (const [service, tail] of [['dedupe', 'resolution'], ['scoring', 'score'], ['routing', 'assignment'], ['nurture', 'enrolments']] as const) {
      const missing = await getWithKey(`${stack.urls[service]}/v1/leads/${unknown}/${tail}`);
      expect({ service, status: missing.status }).toEqual({ service, status: 404 });
      expect(await message(missing)).toContain(unknown);
      const malformed = await getWithKey(`${stack.urls[service]}/v1/leads/not-a-lead/${tail}`);
      expect({ service, status: malformed.status }).toEqual({ service, status: 400 });
      expect(await message(malformed)).toBe('id must be a UUID, e.g. the leadId returned by POST /v1/leads');
    }
  });

  it('refuses a revoked key on every service within the key cache time, saying it was revoked', async () => {
    const key = await createKey('old integration', ['admin']);
    for (const route of routes()) expect({ service: route.service, granted: granted((await route.call(key.key)).status) }).toEqual({ service: route.service, granted: true });
    const revoked = await fetch(`${stack.urls.ingestion}/v1/api-keys/${key.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.apiKey}` } });
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    for (const route of routes()) {
      const refused = await withLogs(
        stack,
        eventually(
          async () => {
            const response = await route.call(key.key);
            return response.status === 401 ? response : undefined;
          },
          KEY_CACHE_MS + 10_000,
          `${route.service} to refuse the revoked key`,
        ),
      );
      expect(await message(refused)).toMatch(/^API key 'old integration' was revoked at /);
    }
    // Every service stopped within its cache time (plus the requests of this loop), not at some later refresh.
    expect(Date.now() - revokedAt).toBeLessThan(KEY_CACHE_MS + 5_000);
  }, 60_000);

  it('keeps /health/* and the OpenAPI document of each service public, the document listing its guarded route', async () => {
    for (const route of routes()) {
      expect((await fetch(`${stack.urls[route.service]}/health/live`)).status).toBe(200);
      const docs = await fetch(`${stack.urls[route.service]}/docs-json`);
      expect({ service: route.service, status: docs.status }).toEqual({ service: route.service, status: 200 });
      const document = (await docs.json()) as { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
      expect(Object.keys(document.paths)).toContain(route.documented);
      expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    }
  });

  it('listens on the loopback only: the same port on another address of this machine refuses the connection', async () => {
    const elsewhere = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;
    // A machine with no other interface has nothing to show here.
    if (elsewhere === undefined) return;
    for (const service of Object.keys(stack.urls) as Service[]) {
      const port = new URL(stack.urls[service]).port;
      const outcome = await fetch(`http://${elsewhere}:${port}/health/live`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => `answered ${response.status}`,
        () => 'refused',
      );
      expect({ service, outcome }).toEqual({ service, outcome: 'refused' });
    }
  });
});
