import { SetMetadata } from '@nestjs/common';

/**
 * What an API key may do. `admin` implies every other scope.
 * - `ingest`: send leads, activities and CSV files;
 * - `read`: reports and lead data (history, score, assignment, resolution, enrolments);
 * - `admin`: keys, rules, merges, lifecycle actions and erasure.
 */
export type ApiKeyScope = 'ingest' | 'read' | 'admin';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['ingest', 'read', 'admin'];

/** Metadata key set by {@link Public}: the route needs no API key (rate-limited per client IP + Origin instead). */
export const IS_PUBLIC_KEY = 'leadstream:public';
/** Metadata key set by {@link RequireScope}. */
export const REQUIRED_SCOPE_KEY = 'leadstream:requiredScope';
/** Metadata key set by {@link FreshKeyCheck}. */
export const FRESH_KEY_CHECK_KEY = 'leadstream:freshKeyCheck';

/** The route (or every route of a controller) needs no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The route needs a key holding `scope` (or `admin`). Routes without this decorator and without
 * `@Public()` still need a valid key, of any scope.
 */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE_KEY, scope);

/**
 * The key of a request to this route is checked against the key store itself, never against a
 * cached answer. For the route other services ask about keys: their own cache is then the only delay
 * between a revocation and its effect, instead of their cache plus ingestion's.
 */
export const FreshKeyCheck = (): MethodDecorator => SetMetadata(FRESH_KEY_CHECK_KEY, true);
