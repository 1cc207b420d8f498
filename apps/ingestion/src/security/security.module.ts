import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { accessProviders } from '@leadstream/platform-access';
import { ApiKeyStore } from './api-key.store';
import { ApiKeyIntrospectionController, ApiKeysController } from './api-keys.controller';
import { BootstrapAdminKey } from './bootstrap-admin-key';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';
import { readSecurityConfig, SECURITY_CONFIG } from './security-config';

/**
 * API keys (the platform's one key table, the admin API, the introspection route the other services
 * ask, the bootstrap key), the global guard of platform-access verifying keys against that table, and
 * the global Idempotency-Key interceptor for every route of ingestion.
 */
@Module({
  // The introspection route first: `self` must not be taken for an `:id` by a later route.
  controllers: [ApiKeyIntrospectionController, ApiKeysController],
  providers: [
    { provide: SECURITY_CONFIG, useFactory: () => readSecurityConfig(process.env) },
    ApiKeyStore,
    ...accessProviders('ingestion', ApiKeyStore),
    IdempotencyStore,
    BootstrapAdminKey,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [ApiKeyStore],
})
export class SecurityModule {}
