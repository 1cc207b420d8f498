import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Name of the bearer scheme in the document (what `@ApiBearerAuth()` refers to by default). */
export const BEARER_SCHEME = 'bearer';

/**
 * Serves the OpenAPI document generated from the controllers and DTOs: the UI at /docs and the JSON
 * at /docs-json. Both are plain HTTP routes outside Nest's controllers, so the API-key guard does not
 * apply to them: anyone may read the documentation.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Leadstream ingestion')
    .setDescription(
      'Every way leads and activities arrive. Send `Authorization: Bearer <key>` (an API key with the scope the route names; ' +
        "'admin' implies all); web-form routes need none. Any POST may carry an `Idempotency-Key` header: a retry with the same key " +
        'and body gets the first answer again (`Idempotent-Replayed: true`) and creates nothing new. 429 answers carry `Retry-After`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, e.g. the admin key in .data/api-key' }, BEARER_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
