// The HTTP provider against a local fake enrichment service (node:http on a free port): answers, not
// found, slow answers, 5xx then success, a breaker that opens and half-opens, the cache, config errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpFirmographicsProvider } from './http-firmographics.provider';
import { httpProviderConfig, HttpProviderConfigError, readHttpProviderConfig, type HttpProviderConfig } from './http-provider-config';

jest.setTimeout(30_000);

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: { url: string; apiKey: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', apiKey: request.headers['x-api-key'] as string | undefined });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen.length = 0;
});

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function provider(overrides: Partial<HttpProviderConfig> = {}): HttpFirmographicsProvider {
  return new HttpFirmographicsProvider(
    httpProviderConfig({
      name: 'acme-data',
      urlTemplate: `${baseUrl}/v2/companies?domain={domain}`,
      headers: { 'x-api-key': 'k-123' },
      timeoutMs: 200,
      retries: 2,
      retryDelayMs: 5,
      breakerFailures: 3,
      breakerCooldownMs: 500,
      fieldMap: { companyName: 'name', industry: 'category.industry', employeeCount: 'metrics.employees', annualRevenue: 'metrics.revenueUsd', country: 'geo.country', parentDomain: 'parent.domain' },
      ...overrides,
    }),
  );
}

const GLOBEX = { domain: 'globex.com', name: 'Globex Corporation', category: { industry: 'Manufacturing' }, metrics: { employees: '12,000', revenueUsd: 9.5e8 }, geo: { country: 'United States' } };

describe('HttpFirmographicsProvider', () => {
  it('given the service knows the domain, the answer is mapped by the field map, with the API key sent and what is missing named', async () => {
    handler = (_request, response) => json(response, 200, GLOBEX);
    const lookup = await provider().lookUp({ domain: 'WWW.Globex.com' });
    expect(lookup).toEqual({
      outcome: 'found',
      provider: 'acme-data',
      matchedBy: 'domain',
      firmographics: { domain: 'globex.com', companyName: 'Globex Corporation', industry: 'Manufacturing', employeeCount: 12000, annualRevenue: 950000000, country: 'US' },
      missing: ['parentDomain'],
    });
    expect(seen).toEqual([{ url: '/v2/companies?domain=globex.com', apiKey: 'k-123' }]);
  });

  it('a 404 is not-found, cached for the shorter not-found TTL, then asked again', async () => {
    handler = (_request, response) => json(response, 404, { error: 'unknown company' });
    const acme = provider({ cacheTtlMs: 60_000, notFoundTtlMs: 300 });
    expect(await acme.lookUp({ domain: 'nobody.example' })).toEqual({ outcome: 'not-found', provider: 'acme-data' });
    expect(await acme.lookUp({ domain: 'nobody.example' })).toEqual({ outcome: 'not-found', provider: 'acme-data' });
    expect(seen).toHaveLength(1);
    await sleep(400);
    await acme.lookUp({ domain: 'nobody.example' });
    expect(seen).toHaveLength(2);
  });

  it('a found company is served from the cache without another call', async () => {
    handler = (_request, response) => json(response, 200, GLOBEX);
    const acme = provider();
    await acme.lookUp({ domain: 'globex.com' });
    expect(await acme.lookUp({ domain: 'https://globex.com/about' })).toMatchObject({ outcome: 'found', firmographics: { companyName: 'Globex Corporation' } });
    expect(seen).toHaveLength(1);
    expect(acme.stats()).toMatchObject({ requests: 1, cacheHits: 1 });
  });

  it('leads of one company asked at the same moment share one call', async () => {
    handler = (_request, response) => {
      setTimeout(() => json(response, 200, GLOBEX), 30).unref();
    };
    const acme = provider();
    const answers = await Promise.all([acme.lookUp({ domain: 'globex.com' }), acme.lookUp({ domain: 'www.globex.com' }), acme.lookUp({ domain: 'initech.com' })]);
    expect(answers.map((answer) => answer.outcome)).toEqual(['found', 'found', 'found']);
    expect(seen.map((request) => request.url).sort()).toEqual(['/v2/companies?domain=globex.com', '/v2/companies?domain=initech.com']);
  });

  it('a service slower than the timeout is a timeout failure after the retries, not a hang', async () => {
    handler = (_request, response) => {
      setTimeout(() => json(response, 200, GLOBEX), 1_000).unref();
    };
    const lookup = await provider({ retries: 1 }).lookUp({ domain: 'globex.com' });
    expect(lookup).toEqual({ outcome: 'failed', provider: 'acme-data', reason: 'timeout', detail: 'no answer within 200 ms' });
    expect(seen).toHaveLength(2);
  });

  it('a 500 then a 200 is found on the retry', async () => {
    let calls = 0;
    handler = (_request, response) => (++calls === 1 ? json(response, 500, { error: 'busy' }) : json(response, 200, GLOBEX));
    expect(await provider().lookUp({ domain: 'globex.com' })).toMatchObject({ outcome: 'found', firmographics: { domain: 'globex.com' } });
    expect(seen).toHaveLength(2);
  });

  it('a 401 is not retried and says what the service answered', async () => {
    handler = (_request, response) => json(response, 401, { error: 'bad key' });
    expect(await provider().lookUp({ domain: 'globex.com' })).toEqual({
      outcome: 'failed',
      provider: 'acme-data',
      reason: 'bad-response',
      detail: 'HTTP 401 Unauthorized: {"error":"bad key"}',
    });
    expect(seen).toHaveLength(1);
  });

  it('consecutive failed lookups open the circuit (no calls while open); after the cool-down one trial call closes it again', async () => {
    let healthy = false;
    handler = (_request, response) => (healthy ? json(response, 200, GLOBEX) : json(response, 503, { error: 'down' }));
    const acme = provider({ retries: 0, breakerFailures: 2 });
    expect(await acme.lookUp({ domain: 'a.com' })).toMatchObject({ outcome: 'failed', reason: 'unavailable', detail: 'HTTP 503 Service Unavailable' });
    expect(await acme.lookUp({ domain: 'b.com' })).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
    expect(acme.stats().circuit).toBe('open');
    expect(await acme.lookUp({ domain: 'c.com' })).toMatchObject({ outcome: 'failed', reason: 'circuit-open' });
    expect(seen).toHaveLength(2);

    healthy = true;
    await sleep(600);
    expect(await acme.lookUp({ domain: 'globex.com' })).toMatchObject({ outcome: 'found' });
    expect(acme.stats().circuit).toBe('closed');
    expect(seen).toHaveLength(3);
  });

  it('a failed trial call after the cool-down opens the circuit again', async () => {
    handler = (_request, response) => json(response, 500, {});
    const acme = provider({ retries: 0, breakerFailures: 1 });
    await acme.lookUp({ domain: 'a.com' });
    await sleep(600);
    expect(await acme.lookUp({ domain: 'b.com' })).toMatchObject({ reason: 'unavailable' });
    expect(await acme.lookUp({ domain: 'c.com' })).toMatchObject({ reason: 'circuit-open' });
    expect(seen).toHaveLength(2);
  });

  it('a service that is not listening is unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const lookup = await provider({ urlTemplate: `http://127.0.0.1:${port}/c?d={domain}`, retries: 1 }).lookUp({ domain: 'a.com' });
    expect(lookup).toMatchObject({ outcome: 'failed', reason: 'unavailable', detail: 'request failed: ECONNREFUSED' });
  });

  it('an answer that is not JSON is a bad response; an empty object or array is not-found', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>maintenance</html>');
    };
    expect(await provider().lookUp({ domain: 'a.com' })).toMatchObject({ outcome: 'failed', reason: 'bad-response', detail: 'the answer is not JSON: "<html>maintenance</html>"' });
    handler = (_request, response) => json(response, 200, {});
    expect(await provider().lookUp({ domain: 'a.com' })).toEqual({ outcome: 'not-found', provider: 'acme-data' });
    handler = (_request, response) => json(response, 200, []);
    expect(await provider().lookUp({ domain: 'b.com' })).toEqual({ outcome: 'not-found', provider: 'acme-data' });
  });

  it('a template by name is asked with the normalised name; a lead without it is not sent', async () => {
    handler = (_request, response) => json(response, 200, GLOBEX);
    const byName = provider({ urlTemplate: `${baseUrl}/search?q={name}` });
    expect(await byName.lookUp({ nameKey: 'globex' })).toMatchObject({ outcome: 'found', matchedBy: 'name', firmographics: { domain: 'globex.com' } });
    expect(await byName.lookUp({ domain: 'globex.com' })).toEqual({ outcome: 'not-found', provider: 'acme-data' });
    expect(seen.map((request) => request.url)).toEqual(['/search?q=globex']);
  });
});

describe('HTTP provider configuration', () => {
  it('is absent without ENRICHMENT_HTTP_URL', () => {
    expect(readHttpProviderConfig({})).toBeUndefined();
  });

  it('reads the environment, the API key through ${NAME} in a header', () => {
    const config = readHttpProviderConfig({
      ENRICHMENT_HTTP_URL: 'https://api.example.com/companies?domain={domain}',
      ENRICHMENT_HTTP_HEADERS: '{"Authorization":"Bearer ${ENRICHMENT_HTTP_API_KEY}"}',
      ENRICHMENT_HTTP_API_KEY: 'secret',
      ENRICHMENT_HTTP_TIMEOUT_MS: '800',
      ENRICHMENT_HTTP_FIELD_MAP: '{"companyName":"company.name"}',
    });
    expect(config).toMatchObject({ urlTemplate: 'https://api.example.com/companies?domain={domain}', headers: { Authorization: 'Bearer secret' }, timeoutMs: 800 });
    expect(config?.fieldMap).toMatchObject({ companyName: 'company.name', industry: 'industry' });
  });

  it.each([
    [{ ENRICHMENT_HTTP_URL: 'https://api.example.com/companies' }, 'ENRICHMENT_HTTP_URL "https://api.example.com/companies" has no {domain} or {name} placeholder, so every company would get the same answer'],
    [{ ENRICHMENT_HTTP_URL: 'https://api.example.com/c?d={company}' }, 'ENRICHMENT_HTTP_URL has unknown placeholder(s) {company}; use {domain} or {name}'],
    [{ ENRICHMENT_HTTP_URL: 'ftp://api.example.com/{domain}' }, 'ENRICHMENT_HTTP_URL must be an http or https URL, got ftp:'],
    [{ ENRICHMENT_HTTP_URL: 'not a url {domain}' }, 'ENRICHMENT_HTTP_URL "not a url {domain}" is not a URL'],
    [{ ENRICHMENT_HTTP_URL: 'https://a.example/{domain}', ENRICHMENT_HTTP_TIMEOUT_MS: 'fast' }, 'ENRICHMENT_HTTP_TIMEOUT_MS="fast" is not a whole number'],
    [{ ENRICHMENT_HTTP_URL: 'https://a.example/{domain}', ENRICHMENT_HTTP_TIMEOUT_MS: '0' }, 'ENRICHMENT_HTTP_TIMEOUT_MS: timeoutMs must be a whole number of at least 1, got 0'],
    [{ ENRICHMENT_HTTP_URL: 'https://a.example/{domain}', ENRICHMENT_HTTP_HEADERS: '{"x-api-key":"${MISSING_KEY}"}' }, 'ENRICHMENT_HTTP_HEADERS: header x-api-key uses ${MISSING_KEY}, which is not set'],
    [{ ENRICHMENT_HTTP_URL: 'https://a.example/{domain}', ENRICHMENT_HTTP_HEADERS: '{x}' }, /^ENRICHMENT_HTTP_HEADERS is not JSON: /],
    [{ ENRICHMENT_HTTP_URL: 'https://a.example/{domain}', ENRICHMENT_HTTP_FIELD_MAP: '{"employees":"size"}' }, /^ENRICHMENT_HTTP_FIELD_MAP: unknown field 'employees' \(expected domain, companyName, /],
  ])('%j is refused: %s', (env, message) => {
    expect(() => readHttpProviderConfig(env)).toThrow(HttpProviderConfigError);
    expect(() => readHttpProviderConfig(env)).toThrow(message);
  });
});
