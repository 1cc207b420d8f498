import { FIRMOGRAPHIC_FIELDS } from '@leadstream/domain-enrichment';

/** Where a field of the provider's JSON answer is: a dotted path such as `company.metrics.employees`. */
export type HttpFieldMap = Readonly<Partial<Record<'domain' | (typeof FIRMOGRAPHIC_FIELDS)[number], string>>>;

export interface HttpProviderConfig {
  /** Shown in lookups and logs as the provider that answered. */
  readonly name: string;
  /** `https://api.example.com/companies?domain={domain}`; `{name}` (the normalised company name) may appear too. */
  readonly urlTemplate: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Further attempts after a 5xx, a timeout or a dropped connection. */
  readonly retries: number;
  /** First backoff delay before a retry; doubling, with jitter, up to ten times this. */
  readonly retryDelayMs: number;
  /** Consecutive failed lookups that open the circuit. */
  readonly breakerFailures: number;
  /** How long the circuit stays open before one trial call (half-open). */
  readonly breakerCooldownMs: number;
  readonly cacheMaxEntries: number;
  readonly cacheTtlMs: number;
  /** A company the provider does not know is asked about again sooner than one it knows. */
  readonly notFoundTtlMs: number;
  readonly fieldMap: HttpFieldMap;
}

export class HttpProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpProviderConfigError';
  }
}

export const DEFAULT_FIELD_MAP: HttpFieldMap = {
  domain: 'domain',
  companyName: 'companyName',
  industry: 'industry',
  employeeCount: 'employeeCount',
  annualRevenue: 'annualRevenue',
  country: 'country',
  parentDomain: 'parentDomain',
};

const DEFAULTS = {
  name: 'http',
  timeoutMs: 1_500,
  retries: 2,
  retryDelayMs: 100,
  breakerFailures: 5,
  breakerCooldownMs: 30_000,
  cacheMaxEntries: 50_000,
  cacheTtlMs: 24 * 60 * 60 * 1000,
  notFoundTtlMs: 60 * 60 * 1000,
} as const;

const PLACEHOLDERS = ['domain', 'name'];

/**
 * A complete, checked configuration from partial settings; every problem is an HttpProviderConfigError
 * that names the setting (`label` prefixes it, e.g. the environment variable it came from).
 */
export function httpProviderConfig(settings: Partial<HttpProviderConfig> & { urlTemplate: string }): HttpProviderConfig {
  const config: HttpProviderConfig = { ...DEFAULTS, headers: {}, ...settings, fieldMap: { ...DEFAULT_FIELD_MAP, ...(settings.fieldMap ?? {}) } };
  checkUrlTemplate(config.urlTemplate, 'urlTemplate');
  for (const [key, min] of [
    ['timeoutMs', 1],
    ['retries', 0],
    ['retryDelayMs', 0],
    ['breakerFailures', 1],
    ['breakerCooldownMs', 1],
    ['cacheMaxEntries', 1],
    ['cacheTtlMs', 1],
    ['notFoundTtlMs', 1],
  ] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < min) throw new HttpProviderConfigError(`${key} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  }
  for (const [header, value] of Object.entries(config.headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) throw new HttpProviderConfigError(`header name ${JSON.stringify(header)} is not a valid HTTP header name`);
    if (typeof value !== 'string' || /[\r\n]/.test(value)) throw new HttpProviderConfigError(`header ${header} must be a one-line string`);
  }
  checkFieldMap(config.fieldMap, 'fieldMap');
  return config;
}

function checkUrlTemplate(template: string, label: string): void {
  if (typeof template !== 'string' || template.trim() === '') throw new HttpProviderConfigError(`${label} is empty: give a URL such as https://api.example.com/companies?domain={domain}`);
  const used = [...template.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] as string);
  const unknown = used.filter((placeholder) => !PLACEHOLDERS.includes(placeholder));
  if (unknown.length > 0) throw new HttpProviderConfigError(`${label} has unknown placeholder(s) ${unknown.map((p) => `{${p}}`).join(', ')}; use {domain} or {name}`);
  if (used.length === 0) throw new HttpProviderConfigError(`${label} ${JSON.stringify(template)} has no {domain} or {name} placeholder, so every company would get the same answer`);
  let url: URL;
  try {
    url = new URL(template.replace(/\{(domain|name)\}/g, 'x'));
  } catch {
    throw new HttpProviderConfigError(`${label} ${JSON.stringify(template)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HttpProviderConfigError(`${label} must be an http or https URL, got ${url.protocol}`);
}

function checkFieldMap(map: unknown, label: string): void {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new HttpProviderConfigError(`${label} must be an object of field: path`);
  const allowed = ['domain', ...FIRMOGRAPHIC_FIELDS];
  for (const [field, path] of Object.entries(map)) {
    if (!allowed.includes(field)) throw new HttpProviderConfigError(`${label}: unknown field '${field}' (expected ${allowed.join(', ')})`);
    if (typeof path !== 'string' || !/^[^.\s]+(\.[^.\s]+)*$/.test(path)) throw new HttpProviderConfigError(`${label}.${field} must be a dotted path such as "company.name", got ${JSON.stringify(path)}`);
  }
}

/**
 * The HTTP provider's configuration from the environment, or undefined when ENRICHMENT_HTTP_URL is not
 * set (no commercial service configured). Header values may name other variables as `${NAME}`, so the
 * API key stays in its own variable:
 *
 *   ENRICHMENT_HTTP_URL='https://api.example.com/companies?domain={domain}'
 *   ENRICHMENT_HTTP_HEADERS='{"Authorization":"Bearer ${ENRICHMENT_HTTP_API_KEY}"}'
 */
export function readHttpProviderConfig(env: NodeJS.ProcessEnv = process.env): HttpProviderConfig | undefined {
  const urlTemplate = env['ENRICHMENT_HTTP_URL']?.trim();
  if (!urlTemplate) return undefined;
  const settings: Partial<Record<keyof HttpProviderConfig, unknown>> = { urlTemplate };
  const numbers: [keyof HttpProviderConfig, string][] = [
    ['timeoutMs', 'ENRICHMENT_HTTP_TIMEOUT_MS'],
    ['retries', 'ENRICHMENT_HTTP_RETRIES'],
    ['retryDelayMs', 'ENRICHMENT_HTTP_RETRY_DELAY_MS'],
    ['breakerFailures', 'ENRICHMENT_HTTP_BREAKER_FAILURES'],
    ['breakerCooldownMs', 'ENRICHMENT_HTTP_BREAKER_COOLDOWN_MS'],
    ['cacheMaxEntries', 'ENRICHMENT_HTTP_CACHE_MAX_ENTRIES'],
    ['cacheTtlMs', 'ENRICHMENT_HTTP_CACHE_TTL_MS'],
    ['notFoundTtlMs', 'ENRICHMENT_HTTP_NOT_FOUND_TTL_MS'],
  ];
  for (const [key, variable] of numbers) {
    const text = env[variable]?.trim();
    if (!text) continue;
    if (!/^\d+$/.test(text)) throw new HttpProviderConfigError(`${variable}=${JSON.stringify(text)} is not a whole number`);
    settings[key] = Number(text);
  }
  if (env['ENRICHMENT_HTTP_NAME']?.trim()) settings.name = env['ENRICHMENT_HTTP_NAME'].trim();
  const headers = jsonObject(env, 'ENRICHMENT_HTTP_HEADERS');
  if (headers) {
    settings.headers = Object.fromEntries(
      Object.entries(headers).map(([header, value]) => {
        if (typeof value !== 'string') throw new HttpProviderConfigError(`ENRICHMENT_HTTP_HEADERS: header ${header} must be a string`);
        return [header, substituteVariables(value, env, `ENRICHMENT_HTTP_HEADERS: header ${header}`)];
      }),
    );
  }
  const fieldMap = jsonObject(env, 'ENRICHMENT_HTTP_FIELD_MAP');
  if (fieldMap) {
    checkFieldMap(fieldMap, 'ENRICHMENT_HTTP_FIELD_MAP');
    settings.fieldMap = fieldMap as HttpFieldMap;
  }
  try {
    checkUrlTemplate(urlTemplate, 'ENRICHMENT_HTTP_URL');
    return httpProviderConfig(settings as Partial<HttpProviderConfig> & { urlTemplate: string });
  } catch (error) {
    if (error instanceof HttpProviderConfigError && !error.message.startsWith('ENRICHMENT_')) {
      const variable = numbers.find(([key]) => error.message.startsWith(`${key} `))?.[1];
      if (variable) throw new HttpProviderConfigError(`${variable}: ${error.message}`);
    }
    throw error;
  }
}

function jsonObject(env: NodeJS.ProcessEnv, variable: string): Record<string, unknown> | undefined {
  const text = env[variable]?.trim();
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HttpProviderConfigError(`${variable} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpProviderConfigError(`${variable} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

function substituteVariables(value: string, env: NodeJS.ProcessEnv, label: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
    const resolved = env[name];
    if (resolved === undefined || resolved === '') throw new HttpProviderConfigError(`${label} uses \${${name}}, which is not set`);
    return resolved;
  });
}
