import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Name of the file, in the data directory, that holds the stack's admin API key. */
export const ADMIN_KEY_FILE = 'api-key';

export interface AdminKey {
  readonly key: string;
  readonly file: string;
  /** True when this call made the key (the first start): the only time it is printed. */
  readonly created: boolean;
}

/**
 * The stack's admin API key: read from `<dataDir>/api-key`, or on the first start made (`lsk_` + 32
 * random bytes, base64url, the format ingestion issues) and written there readable by its owner only.
 * Ingestion gets it as LEADSTREAM_BOOTSTRAP_ADMIN_KEY on every start and stores only its hash.
 */
export function ensureAdminKey(dataDir: string): AdminKey {
  const file = path.join(dataDir, ADMIN_KEY_FILE);
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the admin API key in ${file}: ${(error as Error).message}`);
  }
  if (existing !== undefined) {
    if (existing.length < 32 || /\s/.test(existing)) throw new Error(`${file} does not hold an API key (32 or more characters, no spaces); delete it to have a new one made`);
    return { key: existing, file, created: false };
  }
  const key = `lsk_${randomBytes(32).toString('base64url')}`;
  // 'wx': never overwrite a key another launcher wrote in the meantime; 0600: only the owner reads it.
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, file, created: true };
}

/** Readiness check name under which ingestion reports the bootstrap admin key ('up', 'up: <note>', 'down: <reason>'). */
export const BOOTSTRAP_KEY_CHECK = 'bootstrap-admin-key';

/**
 * What ingestion's readiness says about the bootstrap admin key, or undefined when that cannot be read
 * (the banner then says only where the key is).
 */
export async function bootstrapKeyReadiness(ingestionUrl: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${ingestionUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { checks?: Record<string, unknown> };
    const state = body.checks?.[BOOTSTRAP_KEY_CHECK];
    return typeof state === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The banner's line about the admin key: printed in full on the first start, otherwise where it is; when
 * ingestion reports it revoked (readiness 'up: <what happened>; <advice>'), that instead of "in place",
 * with what to do here.
 */
export function adminKeyBannerLine(adminKey: AdminKey, shownFile: string, bootstrapCheck: string | undefined): string {
  if (bootstrapCheck?.startsWith('up: ')) {
    const happened = bootstrapCheck.slice('up: '.length).split(';')[0]?.trim();
    return `admin API key in ${shownFile} no longer works (${happened}): use another admin key, or stop, delete ${shownFile} and start again to have a new one made`;
  }
  if (adminKey.created) return `admin API key (shown once, also in ${shownFile}): ${adminKey.key}`;
  return `admin API key in ${shownFile}`;
}
