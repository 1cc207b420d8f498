import {
  BadRequestException,
  SetMetadata,
  type CallHandler,
  ConflictException,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createLogger } from '@leadstream/platform-observability';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { clientIp, type GuardedHttpRequest } from '@leadstream/platform-access';
import { parseIdempotencyKey, requestFingerprint } from './idempotency';
import { IdempotencyStore } from './idempotency.store';

interface IdempotentRequest extends GuardedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

interface IdempotentResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/** The stored answer, sent again through Nest's exception path (which writes any status and body as given). */
class IdempotentReplay extends HttpException {
  constructor(status: number, body: unknown) {
    super(body !== null && typeof body === 'object' ? body : { statusCode: status, replayed: body }, status);
  }
}

const logger = createLogger('ingestion');

const REDACTED_FIELDS_KEY = 'leadstream:idempotencyRedacted';
/** Stands in for a secret in a replayed answer: the secret itself is never stored. */
export const REDACTED_ON_REPLAY = '(redacted: shown only in the first answer)';

/**
 * These top-level fields of the handler's answer are secrets (a new API key): the stored copy, and so
 * a replay, carries {@link REDACTED_ON_REPLAY} instead of them.
 */
export const RedactOnReplay = (...fields: string[]): MethodDecorator => SetMetadata(REDACTED_FIELDS_KEY, fields);

function redact(body: unknown, fields: readonly string[]): unknown {
  if (fields.length === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of fields) if (field in copy) copy[field] = REDACTED_ON_REPLAY;
  return copy;
}

/**
 * `Idempotency-Key` on any POST: the first answer (2xx or 4xx) is stored per caller and key; a retry
 * with the same body gets that answer again (with `Idempotent-Replayed: true`) and runs nothing; the
 * same key with another body or on another route is 422 (saying which); while the first is still running, 409. A 5xx answer is not kept,
 * so the retry runs afresh.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    if (request.method !== 'POST') return next.handle();
    const header = parseIdempotencyKey(request.headers['idempotency-key']);
    if (header.kind === 'absent') return next.handle();
    if (header.kind === 'invalid') return throwError(() => new BadRequestException(header.reason));
    const response = context.switchToHttp().getResponse<IdempotentResponse>();
    const owner = request.callerId ?? `public:${clientIp(request)}`;
    const key = header.key;
    const route = `${request.method.toUpperCase()} ${request.path}`;
    const fingerprint = requestFingerprint({
      method: request.method,
      path: request.path,
      contentType: single(request.headers['content-type']),
      contentLength: single(request.headers['content-length']),
      body: request.body,
    });
    const declaredStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    const redacted = this.reflector.get<string[] | undefined>(REDACTED_FIELDS_KEY, context.getHandler()) ?? [];

    return from(this.begin(owner, key, fingerprint, route, response)).pipe(
      mergeMap((outcome) => {
        switch (outcome.kind) {
          case 'conflict':
            throw new UnprocessableEntityException(conflictMessage(key, route, outcome.firstRoute));
          case 'in-flight':
            throw new ConflictException(`a request with Idempotency-Key '${key}' is still in progress; retry once it has finished`);
          case 'replay':
            response.setHeader('Idempotent-Replayed', 'true');
            if (outcome.location) response.setHeader('Location', outcome.location);
            throw new IdempotentReplay(outcome.statusCode, outcome.body);
          case 'started':
            return next.handle().pipe(
              mergeMap(async (body: unknown) => {
                const status = response.statusCode !== HttpStatus.OK ? response.statusCode : declaredStatus;
                const location = response.getHeader('location');
                await this.settle(owner, key, () => this.store.complete(owner, key, status, redact(body, redacted), typeof location === 'string' ? location : null));
                return body;
              }),
              catchError(async (error: unknown) => {
                const status = error instanceof HttpException ? error.getStatus() : 500;
                if (status >= 400 && status < 500) {
                  const answer = (error as HttpException).getResponse();
                  const body = typeof answer === 'string' ? { statusCode: status, message: answer } : answer;
                  await this.settle(owner, key, () => this.store.complete(owner, key, status, body, null));
                } else {
                  await this.settle(owner, key, () => this.store.release(owner, key));
                }
                throw error;
              }),
            );
        }
      }),
    );
  }

  private async begin(owner: string, key: string, fingerprint: Buffer, route: string, response: IdempotentResponse): ReturnType<IdempotencyStore['begin']> {
    try {
      return await this.store.begin(owner, key, fingerprint, route);
    } catch (error) {
      response.setHeader('Retry-After', '5');
      throw new ServiceUnavailableException(
        `cannot honour Idempotency-Key now: its store is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`,
      );
    }
  }

  /** The request's own outcome stands even when recording it fails; the claim then expires on its own. */
  private async settle(owner: string, key: string, record: () => Promise<void>): Promise<void> {
    try {
      await record();
    } catch (error) {
      logger.warn(`could not record the answer for Idempotency-Key '${key}' of ${owner}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Says what differs from the request the key was first used for: the route, or (same route) the body. */
export function conflictMessage(key: string, route: string, firstRoute: string | null): string {
  const rule = 'a key can only be reused for the same route and body; use a new key for a new request';
  if (firstRoute === null) return `Idempotency-Key '${key}' was already used for another request (another route or body); ${rule}`;
  if (firstRoute !== route) return `Idempotency-Key '${key}' was first used for ${firstRoute}, not ${route}; ${rule}`;
  return `Idempotency-Key '${key}' was already used for ${route} with a different request body; ${rule}`;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
