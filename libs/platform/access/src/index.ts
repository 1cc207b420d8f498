export { API_KEY_SCOPES, FreshKeyCheck, Public, RequireScope, type ApiKeyScope } from './scopes.decorator';
export { grants, hashApiKey, isApiKeyScope, MAX_BEARER_TOKEN_LENGTH, parseBearer, verdictFor, type ApiKeyRecord, type ApiKeyVerdict, type BearerToken } from './api-key';
export { API_KEY_VERIFIER, KeyStoreUnavailableError, type ApiKeyVerifier } from './api-key-verifier';
export { ApiKeyVerdictCache } from './verdict-cache';
export { ACCESS_CONFIG, ACCESS_DEFAULTS, DEFAULT_INGESTION_URL, readAccessConfig, type AccessConfig } from './access-config';
export { API_KEY_INTROSPECTION_PATH, IngestionApiKeyVerifier, KEY_CHECK_TIMEOUT_MS } from './ingestion-api-key-verifier';
export { ApiKeyGuard, clientIp, type AuthenticatedRequest, type GuardedHttpRequest } from './api-key.guard';
export { AccessModule, accessProviders } from './access.module';
export { TokenBuckets, type RateLimit, type TakeResult } from './token-bucket';
