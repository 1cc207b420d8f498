import { SetMetadata } from '@nestjs/common';

/** What an API key may do. `admin` implies every other scope. */
export type ApiKeyScope = 'ingest' | 'read' | 'admin';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['ingest', 'read', 'admin'];

/** Metadata key set by {@link Public}: the route needs no API key (rate-limited per client IP + Origin instead). */
export const IS_PUBLIC_KEY = 'leadstream:public';
/** Metadata key set by {@link RequireScope}. */
export const REQUIRED_SCOPE_KEY = 'leadstream:requiredScope';

/** The route (or every route of a controller) needs no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The route needs a key holding `scope` (or `admin`). Routes without this decorator and without
 * `@Public()` still need a valid key, of any scope.
 */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE_KEY, scope);
