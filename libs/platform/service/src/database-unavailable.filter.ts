import { type ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isConnectionError } from '@leadstream/platform-persistence';

/** Seconds a caller is told to wait: about what a restarted PostgreSQL needs to accept connections again. */
const RETRY_AFTER_SECONDS = 5;

// TypeORM's errors for a DataSource that is not connected yet (a service answers HTTP while it waits
// for PostgreSQL at start-up).
const NOT_CONNECTED_ERRORS = new Set(['CannotExecuteNotConnectedError', 'CannotGetEntityManagerNotConnectedError']);

/** True when `error` says the database cannot be reached now, rather than that the request or the code is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof HttpException) return false;
  if (error instanceof Error && NOT_CONNECTED_ERRORS.has(error.name)) return true;
  return isConnectionError(error) || isConnectionError((error as { driverError?: unknown } | null)?.driverError);
}

/**
 * A route whose database went away (PostgreSQL restarting, a failover) answers 503 with Retry-After and
 * the reason, as a route that checks for it itself does, instead of Nest's bare 500: the caller can
 * retry, and nothing was done. Everything else goes to Nest's own handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !isDatabaseUnavailable(error)) {
      super.catch(error, host);
      return;
    }
    const response = host.switchToHttp().getResponse<{ headersSent: boolean; setHeader(name: string, value: string): void; status(code: number): { json(body: unknown): void } }>();
    if (response.headersSent) {
      super.catch(error, host);
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(HttpStatus.SERVICE_UNAVAILABLE).json({
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'Service Unavailable',
      message: `the database is unavailable (${reason}); retry later`,
    });
  }
}
