import type { ApiDocsOptions } from '@leadstream/platform-service';

/** Ingestion's OpenAPI document (served at /docs by platform-service's bootstrap). */
export const INGESTION_API_DOCS: ApiDocsOptions = {
  description:
    'Every way leads and activities arrive, and the API keys of the whole platform. Any POST may carry an `Idempotency-Key` header: ' +
    'a retry with the same key and body gets the first answer again (`Idempotent-Replayed: true`) and creates nothing new.',
};
