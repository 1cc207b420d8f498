import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { LRUCache } from 'lru-cache';
import {
  foundFirmographics,
  normaliseCompanyDomain,
  normaliseCountry,
  type CompanyQuery,
  type Firmographics,
  type FirmographicsLookup,
  type FirmographicsProvider,
} from '@leadstream/domain-enrichment';
import type { HttpFieldMap, HttpProviderConfig } from './http-provider-config';

/** A failed attempt worth another try (a 5xx, a timeout, a dropped connection), and the breaker counts it. */
class TransientHttpError extends Error {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'unavailable',
  ) {
    super(message);
  }
}

/** An answer that another try would not change (a 401, a 400, a body that is not JSON). */
class PermanentHttpError extends Error {}

type CachedLookup = Extract<FirmographicsLookup, { outcome: 'found' | 'not-found' }>;

export interface HttpProviderStats {
  readonly requests: number;
  readonly cacheHits: number;
  readonly circuit: 'closed' | 'open' | 'half-open' | 'isolated';
}

/**
 * Firmographics from a commercial enrichment service over HTTP. Each lookup is one GET of the URL
 * template; an attempt that times out, gets a 5xx or loses its connection is retried with exponential
 * backoff; a lookup whose attempts all failed counts once towards the circuit breaker, which after
 * `breakerFailures` consecutive failed lookups answers `circuit-open` at once, until one trial call after
 * the cool-down succeeds. Answers (found, and not-found for a shorter time) are cached in a bounded LRU.
 * `lookUp` never rejects.
 */
export class HttpFirmographicsProvider implements FirmographicsProvider {
  readonly name: string;
  private readonly cache: LRUCache<string, CachedLookup>;
  private readonly policy: IPolicy<{ signal: AbortSignal }>;
  private readonly breaker;
  private readonly inFlight = new Map<string, Promise<FirmographicsLookup>>();
  private requests = 0;
  private cacheHits = 0;

  constructor(private readonly config: HttpProviderConfig) {
    this.name = config.name;
    this.cache = new LRUCache<string, CachedLookup>({ max: config.cacheMaxEntries, ttl: config.cacheTtlMs });
    const transient = handleWhen((error) => error instanceof TransientHttpError || error instanceof TaskCancelledError);
    this.breaker = circuitBreaker(transient, { halfOpenAfter: config.breakerCooldownMs, breaker: new ConsecutiveBreaker(config.breakerFailures) });
    const retries = retry(transient, {
      maxAttempts: config.retries,
      backoff: new ExponentialBackoff({ initialDelay: config.retryDelayMs, maxDelay: config.retryDelayMs * 10 }),
    });
    this.policy = wrap(this.breaker, retries, timeout(config.timeoutMs, TimeoutStrategy.Aggressive));
  }

  stats(): HttpProviderStats {
    const circuit = { [CircuitState.Closed]: 'closed', [CircuitState.Open]: 'open', [CircuitState.HalfOpen]: 'half-open', [CircuitState.Isolated]: 'isolated' } as const;
    return { requests: this.requests, cacheHits: this.cacheHits, circuit: circuit[this.breaker.state] };
  }

  async lookUp(query: CompanyQuery): Promise<FirmographicsLookup> {
    const domain = normaliseCompanyDomain(query.domain);
    const usesName = this.config.urlTemplate.includes('{name}');
    const usesDomain = this.config.urlTemplate.includes('{domain}');
    // A template that needs what the lead does not have cannot be asked.
    if ((usesDomain && domain === undefined) || (usesName && !query.nameKey) || (!domain && !query.nameKey)) return { outcome: 'not-found', provider: this.name };
    const key = `${domain ?? ''}\u0000${usesName ? (query.nameKey ?? '') : ''}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cacheHits += 1;
      return cached;
    }
    // Two leads of one company in a batch wait for one call.
    const inFlight = this.inFlight.get(key);
    if (inFlight) return inFlight;
    const url = this.config.urlTemplate
      .replace(/\{domain\}/g, encodeURIComponent(domain ?? ''))
      .replace(/\{name\}/g, encodeURIComponent(query.nameKey ?? ''));
    const asked = this.ask(key, url, domain).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asked);
    return asked;
  }

  private async ask(key: string, url: string, domain: string | undefined): Promise<FirmographicsLookup> {
    try {
      const lookup = await this.policy.execute(({ signal }) => this.request(url, domain, signal));
      this.cache.set(key, lookup, { ttl: lookup.outcome === 'found' ? this.config.cacheTtlMs : this.config.notFoundTtlMs });
      return lookup;
    } catch (error) {
      return this.failure(error);
    }
  }

  private async request(url: string, domain: string | undefined, signal: AbortSignal): Promise<CachedLookup> {
    this.requests += 1;
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, { headers: { accept: 'application/json', ...this.config.headers }, signal, redirect: 'follow' });
      body = await response.text();
    } catch (error) {
      if (signal.aborted) throw new TransientHttpError(`no answer within ${this.config.timeoutMs} ms`, 'timeout');
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new TransientHttpError(`request failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`, 'unavailable');
    }
    if (response.status === 404) return { outcome: 'not-found', provider: this.name };
    if (response.status >= 500) throw new TransientHttpError(`HTTP ${response.status} ${response.statusText}`.trim(), 'unavailable');
    if (response.status === 204) return { outcome: 'not-found', provider: this.name };
    if (response.status !== 200) throw new PermanentHttpError(`HTTP ${response.status} ${response.statusText}: ${body.slice(0, 200)}`.trim());
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new PermanentHttpError(`the answer is not JSON: ${JSON.stringify(body.slice(0, 100))}`);
    }
    if (json === null || (Array.isArray(json) && json.length === 0)) return { outcome: 'not-found', provider: this.name };
    const record = Array.isArray(json) ? json[0] : json;
    if (typeof record !== 'object' || record === null) throw new PermanentHttpError('the answer is not a JSON object');
    const firmographics = mapFirmographics(record, this.config.fieldMap, domain);
    if (firmographics === undefined) return { outcome: 'not-found', provider: this.name };
    return foundFirmographics(this.name, domain !== undefined ? 'domain' : 'name', firmographics) as CachedLookup;
  }

  private failure(error: unknown): FirmographicsLookup {
    if (error instanceof BrokenCircuitError) {
      return { outcome: 'failed', provider: this.name, reason: 'circuit-open', detail: `${this.config.breakerFailures} lookups failed in a row; trying again after the cool-down` };
    }
    if (error instanceof TaskCancelledError) return { outcome: 'failed', provider: this.name, reason: 'timeout', detail: `no answer within ${this.config.timeoutMs} ms` };
    if (error instanceof TransientHttpError) return { outcome: 'failed', provider: this.name, reason: error.reason, detail: error.message };
    return { outcome: 'failed', provider: this.name, reason: 'bad-response', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The provider's JSON object as firmographics by the field map; undefined when it names no company at all. */
export function mapFirmographics(record: object, fieldMap: HttpFieldMap, queriedDomain: string | undefined): Firmographics | undefined {
  const text = (field: keyof HttpFieldMap): string | undefined => {
    const value = fieldMap[field] === undefined ? undefined : valueAt(record, fieldMap[field] as string);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return undefined;
  };
  const whole = (field: keyof HttpFieldMap): number | undefined => {
    const value = text(field)?.replace(/[_,]/g, '');
    if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
    return Math.round(Number(value));
  };
  const domain = normaliseCompanyDomain(text('domain')) ?? queriedDomain;
  if (domain === undefined) return undefined;
  const country = text('country');
  const firmographics: Firmographics = {
    domain,
    companyName: text('companyName'),
    industry: text('industry'),
    employeeCount: whole('employeeCount'),
    annualRevenue: whole('annualRevenue'),
    country: country === undefined ? undefined : normaliseCountry(country),
    parentDomain: normaliseCompanyDomain(text('parentDomain')),
  };
  const present = Object.fromEntries(Object.entries(firmographics).filter(([, value]) => value !== undefined)) as unknown as Firmographics;
  // An object with none of the mapped fields is the service's way of saying it does not know the company.
  return Object.keys(present).length > 1 ? present : undefined;
}

function valueAt(record: object, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
