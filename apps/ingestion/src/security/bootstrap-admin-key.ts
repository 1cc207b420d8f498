import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@leadstream/platform-service';
import { createLogger } from '@leadstream/platform-observability';
import { ApiKeyStore } from './api-key.store';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';

const logger = createLogger('ingestion');

/** What to do once the bootstrap key is revoked; said in the log and in readiness. */
export const NEW_BOOTSTRAP_KEY_HINT =
  'use another admin key, or make a new bootstrap key: under `npm start`, delete .data/api-key and start again; elsewhere, set LEADSTREAM_BOOTSTRAP_ADMIN_KEY to a new secret';

/** The readiness note and log line for a revoked bootstrap key. */
export function revokedBootstrapKeyNote(revokedAt: string): string {
  return `the bootstrap admin key (LEADSTREAM_BOOTSTRAP_ADMIN_KEY) was revoked at ${revokedAt} and no longer works; ${NEW_BOOTSTRAP_KEY_HINT}`;
}

/**
 * LEADSTREAM_BOOTSTRAP_ADMIN_KEY (set by `npm start` from .data/api-key): once PostgreSQL is connected
 * and migrated, that secret is stored (hashed) as the admin key 'bootstrap', if it is not already.
 * Until then ingestion reports not ready ('bootstrap-admin-key'), so whoever waits for /health/ready
 * can use the key at once. A revoked bootstrap key is not an outage (other keys work): readiness stays
 * up and carries the note (`up: the bootstrap admin key ... was revoked at ...`), and the log says so
 * once, at start-up or when readiness first sees it.
 */
@Injectable()
export class BootstrapAdminKey implements OnModuleInit, OnApplicationShutdown {
  private done = false;
  private lastProblem = 'not stored yet';
  private revokedReported = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly readiness: ReadinessRegistry,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  onModuleInit(): void {
    const secret = this.config.bootstrapAdminKey;
    if (secret === undefined) return;
    this.readiness.register('bootstrap-admin-key', () => this.state(secret));
    const attempt = async (): Promise<void> => {
      try {
        const stored = await this.keys.ensureBootstrapKey(secret);
        this.done = true;
        if (stored.kind === 'revoked') this.reportRevoked(stored.revokedAt);
        else logger.info(stored.kind === 'stored' ? 'bootstrap admin key stored' : 'bootstrap admin key is in place');
      } catch (error) {
        // Usually PostgreSQL still connecting or migrating: try again shortly.
        this.lastProblem = `not stored yet: ${error instanceof Error ? error.message : String(error)}`;
        if (!this.stopped) this.timer = setTimeout(() => void attempt(), 500);
      }
    };
    void attempt();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Readiness: down until stored; then up, with a note when the key has been revoked since. */
  private async state(secret: string): Promise<string | undefined> {
    if (!this.done) throw new Error(this.lastProblem);
    try {
      // The cached verdict: no query per readiness call while the key works.
      if ((await this.keys.verify(secret)).valid) return undefined;
      const key = await this.keys.find(secret);
      if (key?.revokedAt) {
        this.reportRevoked(key.revokedAt);
        return revokedBootstrapKeyNote(key.revokedAt);
      }
      return `the bootstrap admin key (LEADSTREAM_BOOTSTRAP_ADMIN_KEY) is no longer stored; restart ingestion to store it again, or ${NEW_BOOTSTRAP_KEY_HINT}`;
    } catch {
      return undefined; // the key store is unavailable: the 'database' check reports that
    }
  }

  private reportRevoked(revokedAt: string): void {
    if (this.revokedReported) return;
    this.revokedReported = true;
    logger.warn(revokedBootstrapKeyNote(revokedAt));
  }
}
