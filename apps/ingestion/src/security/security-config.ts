import { MIN_BOOTSTRAP_KEY_LENGTH } from './api-key';

/** Ingestion's own security settings; the access settings (rate limits, key cache) are platform-access's. */
export interface SecurityConfig {
  /** LEADSTREAM_BOOTSTRAP_ADMIN_KEY: stored (hashed) as the admin key named 'bootstrap' at start-up. */
  readonly bootstrapAdminKey: string | undefined;
}

export const SECURITY_CONFIG = Symbol('SecurityConfig');

/** Reads the security settings; a wrong value stops the service at start-up, naming the variable. */
export function readSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const bootstrap = env['LEADSTREAM_BOOTSTRAP_ADMIN_KEY'];
  if (bootstrap !== undefined && bootstrap !== '' && (bootstrap.length < MIN_BOOTSTRAP_KEY_LENGTH || /\s/.test(bootstrap))) {
    throw new Error(`LEADSTREAM_BOOTSTRAP_ADMIN_KEY must be at least ${MIN_BOOTSTRAP_KEY_LENGTH} characters without spaces (it has ${bootstrap.length})`);
  }
  return { bootstrapAdminKey: bootstrap === '' ? undefined : bootstrap };
}
