import {
  BadRequestException,
  type DynamicModule,
  type Type,
  HttpStatus,
  type INestApplication,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createLogger, type JsonLogger } from '@leadstream/platform-observability';
import { serveApiDocs, type ApiDocsOptions } from './api-docs';
import { DatabaseUnavailableFilter } from './database-unavailable.filter';
import { connectStageTransport } from '@leadstream/platform-stage';

export interface BootstrapOptions {
  /** Service name: the `service` field of every log line. */
  readonly name: string;
  /** The root Nest module; it should import HealthModule.forRoot(). */
  readonly module: Type<unknown> | DynamicModule;
  /** Port to listen on (0 picks a free one). */
  readonly port: number;
  /** Interface to bind; default 127.0.0.1 (the image and the manifests set HOST=0.0.0.0, see readServiceConfig). */
  readonly host?: string;
  /** Largest JSON / urlencoded body accepted; default '1mb'. Larger bodies get 413. */
  readonly bodyLimit?: string;
  /** Logger to use; default createLogger(name). */
  readonly logger?: JsonLogger;
  /** The OpenAPI document served at /docs (JSON at /docs-json); default title 'Leadstream <name>'. */
  readonly apiDocs?: ApiDocsOptions;
  /** Last changes to the app before it listens (extra middleware, filters...). */
  readonly configure?: (app: NestExpressApplication) => void | Promise<void>;
}

/**
 * Creates the service's Nest application with Leadstream's conventions and starts listening:
 * the JSON logger, shutdown hooks (SIGTERM/SIGINT run onModuleDestroy/beforeApplicationShutdown),
 * a global ValidationPipe (whitelist, forbidNonWhitelisted, transform) whose 400 names the fields,
 * 400 'malformed JSON body: ...' for a body that does not parse, 503 with Retry-After for a route whose
 * database is unreachable (DatabaseUnavailableFilter), and the OpenAPI document at /docs.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const logger = options.logger ?? createLogger(options.name);
  const app = await NestFactory.create<NestExpressApplication>(options.module, { logger, bodyParser: false });
  const limit = options.bodyLimit ?? '1mb';
  app.useBodyParser('json', { limit });
  app.useBodyParser('urlencoded', { limit, extended: false });
  // Registered now, so it sits right after the parsers and before Nest's router and error handler.
  app.use(bodyParserErrorHandler);
  app.enableShutdownHooks();
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DatabaseUnavailableFilter(app.getHttpAdapter()));
  serveApiDocs(app, options.name, options.apiDocs);
  await options.configure?.(app);
  // The @EventPattern handlers, as stages on Kafka (a Nest microservice beside the HTTP server).
  await connectStageTransport(app);
  await app.listen(options.port, options.host ?? '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  logger.info(`${options.name} listening on port ${port} of ${options.host ?? '127.0.0.1'}`, { port });
  return app;
}

/** The ValidationPipe every service uses: unknown fields rejected, each error prefixed with its field path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problems = flattenValidationErrors(errors);
      return new BadRequestException({
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: problems.map((p) => `${p.field}: ${p.message}`),
        fields: [...new Set(problems.map((p) => p.field))],
      });
    },
  });
}

export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parentPath = '',
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field, message });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

const BODY_PARSER_ERROR_TYPES = new Set([
  'entity.parse.failed',
  'entity.too.large',
  'entity.verify.failed',
  'charset.unsupported',
  'encoding.unsupported',
  'request.aborted',
  'request.size.invalid',
  'parameters.too.many',
]);

interface BodyParserError extends Error {
  readonly type: string;
  readonly status?: number;
  /** Set by the parsers on 'entity.too.large': the configured limit in bytes. */
  readonly limit?: number;
}

function isBodyParserError(value: unknown): value is BodyParserError {
  if (!(value instanceof Error)) return false;
  const type: unknown = (value as unknown as { type?: unknown }).type;
  return typeof type === 'string' && BODY_PARSER_ERROR_TYPES.has(type);
}

interface MinimalResponse {
  headersSent: boolean;
  status(code: number): MinimalResponse;
  json(body: unknown): void;
}

/**
 * Express error middleware placed right after the body parsers. Their errors (malformed JSON, too
 * large, bad charset) are the client's fault: answer 4xx and say why, instead of a bare parser
 * message or a 500.
 */
function bodyParserErrorHandler(err: unknown, _req: unknown, res: MinimalResponse, next: (err?: unknown) => void): void {
  if (!isBodyParserError(err) || res.headersSent) {
    next(err);
    return;
  }
  const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : HttpStatus.BAD_REQUEST;
  const message =
    err.type === 'entity.parse.failed'
      ? `malformed JSON body: ${err.message}`
      : err.type === 'entity.too.large' && typeof err.limit === 'number'
        ? `request body too large: the limit is ${err.limit} bytes`
        : err.message;
  res.status(status).json({ statusCode: status, error: errorName(status), message });
}

function errorName(status: number): string {
  switch (status) {
    case 413:
      return 'Payload Too Large';
    case 415:
      return 'Unsupported Media Type';
    default:
      return status >= 500 ? 'Internal Server Error' : 'Bad Request';
  }
}
