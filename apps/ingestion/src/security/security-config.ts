import { MIN_BOOTSTRAP_KEY_LENGTH } from './api-key';
import type { RateLimit } from './token-bucket';

export interface SecurityConfig {
  /** Per API key; a batch call counts as one request. */
  readonly keyRateLimit: RateLimit;
  /** Per client IP + Origin, on `@Public()` routes (web forms). */
  readonly publicRateLimit: RateLimit;
  /** How long a key lookup (found, revoked or unknown) is reused before asking PostgreSQL again. */
  readonly keyCacheMs: number;
  /** LEADSTREAM_BOOTSTRAP_ADMIN_KEY: stored (hashed) as the admin key named 'bootstrap' at start-up. */
  readonly bootstrapAdminKey: string | undefined;
}

export const SECURITY_CONFIG = Symbol('SecurityConfig');

export const SECURITY_DEFAULTS = {
  INGESTION_RATE_LIMIT_PER_S: 2000,
  INGESTION_RATE_LIMIT_BURST: 4000,
  INGESTION_PUBLIC_RATE_LIMIT_PER_S: 5,
  INGESTION_PUBLIC_RATE_LIMIT_BURST: 20,
  INGESTION_API_KEY_CACHE_MS: 30_000,
} as const;

function positiveNumber(env: NodeJS.ProcessEnv, name: keyof typeof SECURITY_DEFAULTS, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return SECURITY_DEFAULTS[name];
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}, got '${raw}'`);
  return value;
}

/** Reads the security settings; a wrong value stops the service at start-up, naming the variable. */
export function readSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const bootstrap = env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'];
  if (bootstrap !== undefined && bootstrap !== '' && (bootstrap.length < MIN_BOOTSTRAP_KEY_LENGTH || /\s/.test(bootstrap))) {
    throw new Error(`LEADSTREAM_BOOTSTRAP_ADMIN_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters without spaces (it has ${bootstrap.length})`);
  }
  return {
    keyRateLimit: { perSecond: positiveNumber(env, 'INGESTION_RATE_LIMIT_PER_S', 0.001), burst: positiveNumber(env, 'INGESTION_RATE_LIMIT_BURST', 1) },
    publicRateLimit: { perSecond: positiveNumber(env, 'INGESTION_PUBLIC_RATE_LIMIT_PER_S', 0.001), burst: positiveNumber(env, 'INGESTION_PUBLIC_RATE_LIMIT_BURST', 1) },
    keyCacheMs: positiveNumber(env, 'INGESTION_API_KEY_CACHE_MS', 0),
    bootstrapAdminKey: bootstrap === '' ? undefined : bootstrap,
  };
}
