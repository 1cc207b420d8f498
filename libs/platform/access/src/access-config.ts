import { ConfigError, DEFAULT_PORTS, type ServiceName } from '@leadstream/platform-service';
import type { RateLimit } from './token-bucket';

export interface AccessConfig {
  /** Per API key; a batch call counts as one request. */
  readonly keyRateLimit: RateLimit;
  /** Per client IP + Origin, on `@Public()` routes (web forms, tracking, unsubscribe). */
  readonly publicRateLimit: RateLimit;
  /** How long a verdict on a key (valid, revoked or unknown) is reused before asking the key store again. */
  readonly keyCacheMs: number;
  /** Where ingestion, which owns the keys, answers (services other than ingestion ask it about keys). */
  readonly ingestionUrl: string;
}

export const ACCESS_CONFIG = Symbol('AccessConfig');

export const ACCESS_DEFAULTS = {
  RATE_LIMIT_PER_S: 2000,
  RATE_LIMIT_BURST: 4000,
  PUBLIC_RATE_LIMIT_PER_S: 5,
  PUBLIC_RATE_LIMIT_BURST: 20,
  API_KEY_CACHE_MS: 30_000,
} as const;

export const DEFAULT_INGESTION_URL = `http://127.0.0.1:${DEFAULT_PORTS.ingestion}`;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Each setting is read from `<SERVICE>_<NAME>` (e.g. INGESTION_RATE_LIMIT_PER_S), else `<NAME>` for
 * every service at once, else its default: the same precedence as `<SERVICE>_PORT` and `PORT`.
 */
function number(env: Env, service: ServiceName, name: keyof typeof ACCESS_DEFAULTS, min: number): number {
  for (const variable of [`${service.toUpperCase()}_${name}`, name]) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new ConfigError(variable, `${variable} must be a number of at least ${min}, got '${raw}'`);
    return value;
  }
  return ACCESS_DEFAULTS[name];
}

function ingestionUrl(env: Env): string {
  const raw = env['INGESTION_URL']?.trim();
  if (!raw) return DEFAULT_INGESTION_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('INGESTION_URL', `INGESTION_URL must be a URL such as ${DEFAULT_INGESTION_URL}, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('INGESTION_URL', `INGESTION_URL must start with http:// or https://, got '${raw}'`);
  }
  return raw.replace(/\/+$/, '');
}

/** Reads the access settings of `service`; a wrong value throws ConfigError naming the variable. */
export function readAccessConfig(service: ServiceName, env: Env = process.env): AccessConfig {
  return {
    keyRateLimit: { perSecond: number(env, service, 'RATE_LIMIT_PER_S', 0.001), burst: number(env, service, 'RATE_LIMIT_BURST', 1) },
    publicRateLimit: { perSecond: number(env, service, 'PUBLIC_RATE_LIMIT_PER_S', 0.001), burst: number(env, service, 'PUBLIC_RATE_LIMIT_BURST', 1) },
    keyCacheMs: number(env, service, 'API_KEY_CACHE_MS', 0),
    ingestionUrl: ingestionUrl(env),
  };
}
