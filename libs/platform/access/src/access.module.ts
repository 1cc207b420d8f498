import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ServiceName } from '@leadstream/platform-service';
import { ApiKeyGuard } from './api-key.guard';
import { API_KEY_VERIFIER, type ApiKeyVerifier } from './api-key-verifier';
import { ACCESS_CONFIG, readAccessConfig } from './access-config';
import { IngestionApiKeyVerifier } from './ingestion-api-key-verifier';

/**
 * The access settings of `service` (read from the environment when the app is built), the verifier
 * under API_KEY_VERIFIER (`verifier` must be provided by the same module) and the global guard.
 * For the service that owns the keys, which brings its own verifier; the others use AccessModule.
 */
export function accessProviders(service: ServiceName, verifier: Type<ApiKeyVerifier>): Provider[] {
  return [
    { provide: ACCESS_CONFIG, useFactory: () => readAccessConfig(service, process.env) },
    { provide: API_KEY_VERIFIER, useExisting: verifier },
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ];
}

/**
 * API keys on every route of a service other than ingestion: the global guard, with keys verified by
 * asking ingestion (IngestionApiKeyVerifier, docs/adr/0011-api-keys-on-every-service.md).
 */
@Module({})
export class AccessModule {
  static forRoot(service: Exclude<ServiceName, 'ingestion'>): DynamicModule {
    return {
      module: AccessModule,
      providers: [IngestionApiKeyVerifier, ...accessProviders(service, IngestionApiKeyVerifier)],
      exports: [ACCESS_CONFIG, API_KEY_VERIFIER],
    };
  }
}
