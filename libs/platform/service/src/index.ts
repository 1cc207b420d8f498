export { ConfigError, DEFAULT_DATABASE_URL, DEFAULT_HOST, DEFAULT_KAFKA_BROKERS, DEFAULT_PORTS, readServiceConfig, redact, SERVICE_NAMES, type ServiceConfig, type ServiceName } from './config';
export { ReadinessRegistry, type ReadinessCheck, type ReadinessReport } from './readiness';
export { HealthController, HealthModule } from './health.module';
export { BEARER_SCHEME, serveApiDocs, type ApiDocsOptions } from './api-docs';
export { LEAD_ID_PIPE } from './lead-id.pipe';
export { bootstrapService, createValidationPipe, flattenValidationErrors, type BootstrapOptions } from './bootstrap';
export { ServiceRuntimeModule, type ServiceRuntimeOptions } from './service-runtime.module';
export { runService } from './run-service';
export { collectYoungGarbage } from './memory';
