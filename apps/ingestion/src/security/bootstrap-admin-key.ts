import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@leadstream/platform-service';
import { createLogger } from '@leadstream/platform-observability';
import { ApiKeyStore } from './api-key.store';
import { SECURITY_CONFIG, type SecurityConfig } from './security-config';

const logger = createLogger('ingestion');

/**
 * LEADSTREAM_BOOTSTRAP_ADMIN_KEY (set by `npm start` from .data/api-key): once PostgreSQL is connected
 * and migrated, that secret is stored (hashed) as the admin key 'bootstrap', if it is not already.
 * Until then ingestion reports not ready ('bootstrap-admin-key'), so whoever waits for /health/ready
 * can use the key at once.
 */
@Injectable()
export class BootstrapAdminKey implements OnModuleInit, OnApplicationShutdown {
  private done = false;
  private lastProblem = 'not stored yet';
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
    this.readiness.register('bootstrap-admin-key', () => {
      if (!this.done) throw new Error(this.lastProblem);
    });
    const attempt = async (): Promise<void> => {
      try {
        await this.keys.ensureBootstrapKey(secret);
        this.done = true;
        logger.info('bootstrap admin key is in place');
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
}
