import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Name of the bearer scheme in the document (what `@ApiBearerAuth()` refers to by default). */
export const BEARER_SCHEME = 'bearer';

export interface ApiDocsOptions {
  /** Default 'Leadstream <service>'. */
  readonly title?: string;
  /** What the service's API is for; the paragraph on API keys is added after it. */
  readonly description?: string;
}

const ACCESS_PARAGRAPH =
  'Send `Authorization: Bearer <key>`: an API key with the scope the route names (`read`, `ingest` or `admin`; ' +
  "'admin' implies all). One key works on every service. `/health/*`, this document and public routes (web forms) need none. " +
  'No key or an unknown or revoked one: 401; a key without the scope: 403; over the rate limit: 429 with `Retry-After`; ' +
  'the key store unreachable: 503 with `Retry-After`.';

/**
 * Serves the OpenAPI document generated from the service's controllers and DTOs: the UI at /docs and
 * the JSON at /docs-json. Both are plain HTTP routes outside Nest's controllers, so the API-key guard
 * does not apply to them: anyone may read the documentation.
 */
export function serveApiDocs(app: INestApplication, service: string, options: ApiDocsOptions = {}): void {
  const config = new DocumentBuilder()
    .setTitle(options.title ?? `Leadstream ${service}`)
    .setDescription([options.description, ACCESS_PARAGRAPH].filter((part) => part !== undefined).join('\n\n'))
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, e.g. the admin key in .data/api-key' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
