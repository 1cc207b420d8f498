import { type ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { renderFormRefusalPage, type FormRefusal } from '@leadstream/domain-intake';

export interface FormRequest {
  readonly protocol: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Express's content negotiation (the `accepts` package). */
  accepts(types: string[]): string | false;
}

interface RefusalResponse {
  headersSent: boolean;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
  status(code: number): RefusalResponse;
  send(body: string): unknown;
}

/**
 * True when the client would rather read HTML than JSON: a browser submitting the form. JSON is listed
 * first, so `*\/*`, no Accept header and ties go to JSON, as API clients expect.
 */
export function prefersHtml(request: Pick<FormRequest, 'accepts'>): boolean {
  return request.accepts(['application/json', 'text/html']) === 'text/html';
}

function refusalFor(status: number, retryAfter: unknown): FormRefusal | undefined {
  const seconds = typeof retryAfter === 'string' || typeof retryAfter === 'number' ? Number(retryAfter) : undefined;
  const wait = seconds === undefined || Number.isNaN(seconds) ? {} : { retryAfterSeconds: seconds };
  switch (status) {
    case HttpStatus.FORBIDDEN:
      return { kind: 'origin-not-allowed' };
    case HttpStatus.NOT_FOUND:
      return { kind: 'unknown-form' };
    case HttpStatus.TOO_MANY_REQUESTS:
      return { kind: 'rate-limited', ...wait };
    case HttpStatus.SERVICE_UNAVAILABLE:
      return { kind: 'unavailable', ...wait };
    case HttpStatus.BAD_REQUEST:
    case HttpStatus.PAYLOAD_TOO_LARGE:
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return { kind: 'unreadable' };
    default:
      return undefined;
  }
}

/**
 * Refusals of a form post (the guard's rate limit included) as a short HTML page for a browser, in the
 * visitor's terms; a client that prefers JSON gets Nest's usual JSON body, unchanged.
 */
@Catch(HttpException)
export class FormRefusalFilter extends BaseExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FormRequest>();
    const response = host.switchToHttp().getResponse<RefusalResponse>();
    const refusal = refusalFor(exception.getStatus(), response.getHeader('Retry-After'));
    if (refusal === undefined || response.headersSent || !prefersHtml(request)) {
      super.catch(exception, host);
      return;
    }
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.status(exception.getStatus()).send(renderFormRefusalPage(refusal));
  }
}
