import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStore } from './api-key.store';
import { ApiKeysController } from './api-keys.controller';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';
import { readSecurityConfig, SECURITY_CONFIG } from './security-config';

/**
 * API keys (admin API, bootstrap key), the global guard (keys, scopes, rate limits) and the global
 * Idempotency-Key interceptor for every route of ingestion.
 */
@Module({
  controllers: [ApiKeysController],
  providers: [
    { provide: SECURITY_CONFIG, useFactory: () => readSecurityConfig(process.env) },
    ApiKeyStore,
    IdempotencyStore,
    BootstrapAdminKey,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [ApiKeyStore],
})
export class SecurityModule {}
