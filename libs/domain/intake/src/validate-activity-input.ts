import { ACTIVITY_KINDS, isIsoTimestamp, isUuid, type ActivityKind } from '@leadstream/contracts';
import type { FieldError } from './header-mapping';
import { InvalidClockError } from './intake-error';
import { describeType, isForbiddenKey, shownKey } from './lead-field-names';
import { emailSyntaxProblem } from './validate-lead-input';

/** A behaviour of a lead, validated: named by lead id or by email (exactly one). */
export interface ActivityInput {
  readonly leadId?: string;
  readonly email?: string;
  readonly kind: ActivityKind;
  /** ISO-8601 UTC (`toISOString` form). */
  readonly at: string;
  readonly url?: string;
  readonly detail?: Record<string, string>;
}

export type ActivityInputResult = { readonly ok: true; readonly activity: ActivityInput } | { readonly ok: false; readonly errors: FieldError[] };

/** How far ahead of `now` an activity may be stamped (clock skew between trackers and us). */
export const MAX_ACTIVITY_CLOCK_SKEW_MS = 5 * 60 * 1000;
export const MAX_ACTIVITY_URL_LENGTH = 2048;
export const MAX_ACTIVITY_DETAIL_ENTRIES = 20;
export const MAX_ACTIVITY_DETAIL_KEY_LENGTH = 64;
export const MAX_ACTIVITY_DETAIL_VALUE_LENGTH = 1000;

const ACTIVITY_KEYS: ReadonlySet<string> = new Set(['leadId', 'email', 'kind', 'at', 'url', 'detail']);
const KINDS: ReadonlySet<string> = new Set(ACTIVITY_KINDS);

function text(body: Record<string, unknown>, key: string, errors: FieldError[], maxLength: number): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    errors.push({ field: key, message: `must be a string, got ${describeType(value)}` });
    return undefined;
  }
  if (value.length > maxLength * 2 + 1024) {
    errors.push({ field: key, message: `is longer than ${maxLength} characters (got ${value.length})` });
    return undefined;
  }
  const trimmed = value.trim();
  if (trimmed.length > maxLength) {
    errors.push({ field: key, message: `is longer than ${maxLength} characters (got ${trimmed.length})` });
    return undefined;
  }
  return trimmed === '' ? undefined : trimmed;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function readDetail(value: unknown, errors: FieldError[]): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'detail', message: `must be an object of text values, got ${describeType(value)}` });
    return undefined;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ACTIVITY_DETAIL_ENTRIES) {
    errors.push({ field: 'detail', message: `has ${entries.length} entries; at most ${MAX_ACTIVITY_DETAIL_ENTRIES} are allowed` });
    return undefined;
  }
  // A null-prototype object: keys come from outside, and none of them may reach Object.prototype.
  const detail = Object.create(null) as Record<string, string>;
  for (const [key, entry] of entries) {
    const field = `detail.${key.length > MAX_ACTIVITY_DETAIL_KEY_LENGTH ? `${key.slice(0, MAX_ACTIVITY_DETAIL_KEY_LENGTH)}...` : key}`;
    if (isForbiddenKey(key)) {
      errors.push({ field, message: 'is not allowed as a detail key' });
    } else if (key.length === 0 || key.length > MAX_ACTIVITY_DETAIL_KEY_LENGTH) {
      errors.push({ field, message: `is not a usable detail key: a key has 1 to ${MAX_ACTIVITY_DETAIL_KEY_LENGTH} characters` });
    } else if (typeof entry !== 'string') {
      errors.push({ field, message: `must be a string, got ${describeType(entry)}` });
    } else if (entry.length > MAX_ACTIVITY_DETAIL_VALUE_LENGTH) {
      errors.push({ field, message: `is longer than ${MAX_ACTIVITY_DETAIL_VALUE_LENGTH} characters (got ${entry.length})` });
    } else {
      detail[key] = entry;
    }
  }
  return { ...detail };
}

/**
 * Validates one activity as posted to `POST /v1/activities`. `now` (ISO-8601) is the receiving clock:
 * the default for `at`, and the bound `at` may not pass by more than five minutes. Throws
 * InvalidClockError only when `now` itself is not a timestamp (a programming error).
 */
export function validateActivityInput(input: unknown, now: string): ActivityInputResult {
  if (!isIsoTimestamp(now)) throw new InvalidClockError(`now must be an ISO-8601 timestamp, got ${JSON.stringify(now)}`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(body)', message: `expected an object describing an activity, got ${describeType(input)}` }] };
  }
  const body = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) {
    if (isForbiddenKey(key)) errors.push({ field: shownKey(key), message: 'is not allowed as a field name' });
    else if (!ACTIVITY_KEYS.has(key)) {
      errors.push({ field: shownKey(key), message: `is not a known field; allowed: ${[...ACTIVITY_KEYS].join(', ')}` });
    }
  }

  let leadId = text(body, 'leadId', errors, 36 * 2);
  if (leadId !== undefined) {
    leadId = leadId.toLowerCase();
    if (!isUuid(leadId)) {
      errors.push({ field: 'leadId', message: `must be a UUID, got ${JSON.stringify(leadId)}` });
      leadId = undefined;
    }
  }
  const email = text(body, 'email', errors, 254);
  if (email !== undefined) {
    const problem = emailSyntaxProblem(email);
    if (problem !== undefined) errors.push({ field: 'email', message: problem });
  }
  const given = (key: string): boolean => {
    const value = body[key];
    return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
  };
  if (given('leadId') && given('email')) {
    errors.push({ field: 'leadId', message: 'give either leadId or email, not both' });
  } else if (!given('leadId') && !given('email')) {
    errors.push({ field: 'leadId', message: 'is required, or email, to name the lead' });
  }

  const kindValue = body['kind'];
  let kind: ActivityKind | undefined;
  if (kindValue === undefined || kindValue === null) {
    errors.push({ field: 'kind', message: `is required; one of ${ACTIVITY_KINDS.join(', ')}` });
  } else if (typeof kindValue !== 'string' || !KINDS.has(kindValue)) {
    const shown = typeof kindValue === 'string' ? JSON.stringify(kindValue.slice(0, 64)) : describeType(kindValue);
    errors.push({ field: 'kind', message: `must be one of ${ACTIVITY_KINDS.join(', ')}; got ${shown}` });
  } else {
    kind = kindValue as ActivityKind;
  }

  let at = new Date(now).toISOString();
  const atValue = body['at'];
  if (atValue !== undefined && atValue !== null) {
    if (!isIsoTimestamp(atValue)) {
      const shown = typeof atValue === 'string' ? JSON.stringify(atValue.slice(0, 64)) : describeType(atValue);
      errors.push({ field: 'at', message: `must be an ISO-8601 timestamp such as 2026-11-23T14:05:00Z; got ${shown}` });
    } else {
      const when = Date.parse(atValue);
      if (when - Date.parse(now) > MAX_ACTIVITY_CLOCK_SKEW_MS) {
        errors.push({ field: 'at', message: `${atValue} is more than 5 minutes in the future` });
      }
      at = new Date(when).toISOString();
    }
  }

  const url = text(body, 'url', errors, MAX_ACTIVITY_URL_LENGTH);
  if (url !== undefined && !isWebUrl(url)) {
    errors.push({ field: 'url', message: `must be an http or https URL, got ${JSON.stringify(url.slice(0, 100))}` });
  }
  if (kind === 'page_visited' && url === undefined && !errors.some((error) => error.field === 'url')) {
    errors.push({ field: 'url', message: 'is required for page_visited' });
  }

  const detail = readDetail(body['detail'], errors);

  if (errors.length > 0 || kind === undefined) return { ok: false, errors };
  return {
    ok: true,
    activity: {
      ...(leadId === undefined ? {} : { leadId }),
      ...(email === undefined ? {} : { email }),
      kind,
      at,
      ...(url === undefined ? {} : { url }),
      ...(detail === undefined ? {} : { detail }),
    },
  };
}
