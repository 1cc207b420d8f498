import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthController } from '@leadstream/platform-service';
import { grants, parseBearer, type ApiKeyRecord, type ApiKeyVerdict } from './api-key';
import { API_KEY_VERIFIER, type ApiKeyVerifier } from './api-key-verifier';
import { ACCESS_CONFIG, type AccessConfig } from './access-config';
import { type ApiKeyScope, FRESH_KEY_CHECK_KEY, IS_PUBLIC_KEY, REQUIRED_SCOPE_KEY } from './scopes.decorator';
import { TokenBuckets } from './token-bucket';

/** What the guard leaves on the request for later stages (interceptors, handlers). */
export interface AuthenticatedRequest {
  apiKey?: ApiKeyRecord;
  /** 'key:<id>' or 'public:<ip>': on whose behalf the request runs (e.g. whose Idempotency-Keys these are). */
  callerId?: string;
}

export interface GuardedHttpRequest extends AuthenticatedRequest {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly ip?: string;
  readonly socket?: { remoteAddress?: string };
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/** Controllers of the shared runtime that are public without carrying `@Public()` themselves. */
const PUBLIC_CONTROLLERS: ReadonlySet<unknown> = new Set([HealthController]);

/** Seconds a client is told to wait when no key verdict can be had. */
const KEY_STORE_RETRY_AFTER_S = '5';

export function clientIp(request: GuardedHttpRequest): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

/**
 * The global guard (APP_GUARD) of every service:
 * - `@Public()` routes (and the runtime's /health/*) need no key; public routes other than health are
 *   limited per client IP + Origin;
 * - every other route needs `Authorization: Bearer <key>` of a known, unrevoked key holding the
 *   route's `@RequireScope` (admin implies all), and is limited per key.
 * Limits live in this process's memory: each replica applies them on its own.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keyBuckets: TokenBuckets;
  private readonly publicBuckets: TokenBuckets;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly keys: ApiKeyVerifier,
    @Inject(ACCESS_CONFIG) config: AccessConfig,
  ) {
    this.keyBuckets = new TokenBuckets(config.keyRateLimit);
    this.publicBuckets = new TokenBuckets(config.publicRateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (PUBLIC_CONTROLLERS.has(context.getClass())) return true;
    const request = context.switchToHttp().getRequest<GuardedHttpRequest>();
    const response = context.switchToHttp().getResponse<HeaderSink>();
    const targets = [context.getHandler(), context.getClass()];

    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true) {
      const ip = clientIp(request);
      const origin = headerValue(request.headers['origin']) ?? '-';
      this.limit(this.publicBuckets, `${ip} ${origin}`, response, 'this client address and origin');
      request.callerId = `public:${ip}`;
      return true;
    }

    const bearer = parseBearer(request.headers['authorization']);
    if (bearer.kind !== 'token') {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message:
          bearer.kind === 'missing'
            ? 'missing API key: send Authorization: Bearer <key>'
            : 'malformed Authorization header: send Authorization: Bearer <key>',
      });
    }
    let verdict: ApiKeyVerdict;
    try {
      const fresh = this.reflector.get<boolean | undefined>(FRESH_KEY_CHECK_KEY, context.getHandler()) === true;
      verdict = await this.keys.verify(bearer.token, { fresh });
    } catch (error) {
      response.setHeader('Retry-After', KEY_STORE_RETRY_AFTER_S);
      throw new ServiceUnavailableException(
        `cannot check the API key: the key store is unavailable (${error instanceof Error ? error.message : String(error)}); retry later`,
      );
    }
    if (!verdict.valid) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: verdict.reason });
    }
    const key = verdict.key;
    const needed = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE_KEY, targets);
    if (!grants(key.scopes, needed)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `this route needs an API key with scope '${needed}'${needed === 'admin' ? '' : " (or 'admin')"}; key '${key.name}' has scopes: ${key.scopes.join(', ')}`,
      });
    }
    this.limit(this.keyBuckets, key.id, response, 'this key');
    request.apiKey = key;
    request.callerId = `key:${key.id}`;
    return true;
  }

  private limit(buckets: TokenBuckets, bucket: string, response: HeaderSink, whose: string): void {
    const result = buckets.take(bucket, Date.now());
    if (result.allowed) return;
    response.setHeader('Retry-After', String(result.retryAfterSeconds));
    throw new HttpException(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `rate limit of ${buckets.limit.perSecond} requests/s for ${whose} exceeded; retry after ${result.retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
