import { EXTERNAL_SYSTEM_NAME, MAX_EXTERNAL_IDS } from '@leadstream/contracts';
import type { FieldError } from './header-mapping';
import { describeType, isForbiddenKey, shownKey } from './lead-field-names';

/** Longest id of a lead in another system, after trimming (what lead.received carries). */
export const MAX_EXTERNAL_ID_LENGTH = 200;

const SYSTEM_NAME_RULE = "use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit";

/** A system name as intake keeps it: trimmed and lower-cased ("Salesforce " -> "salesforce"). */
export function normaliseSystemName(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Why `name` (as written) cannot name a system, said of it, or `undefined`. Judged after normalising, so
 * "Salesforce" is fine and "Sales Force" is not. `constructor` and `prototype` match the pattern but are
 * refused as they are everywhere else in intake: a lookup by such a key on a plain object finds
 * Object.prototype's members, and dedupe looks ids up by system.
 */
export function systemNameProblem(name: string): string | undefined {
  const system = normaliseSystemName(name);
  if (isForbiddenKey(system)) return 'is not allowed as a system name';
  if (!EXTERNAL_SYSTEM_NAME.test(system)) return `is not a system name: ${SYSTEM_NAME_RULE}`;
  return undefined;
}

/**
 * Reads a submitted `externalIds` object (system name -> id). System names are trimmed and lower-cased,
 * ids trimmed; a blank id or `null` counts as absent (as a blank field does), so a CSV row with an empty
 * id cell has no id for that system. Problems go to `errors`, each naming `externalIds.<key as written>`:
 * a key that is no system name, an id that is no string or is over 200 characters, two keys naming one
 * system with different ids, more than 10 systems. Returns the ids (`undefined` when there are none).
 */
export function readExternalIds(value: unknown, errors: FieldError[]): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'externalIds', message: `must be an object of system name -> id ({ "salesforce": "00Q..." }), got ${describeType(value)}` });
    return undefined;
  }
  const submitted = value as Record<string, unknown>;
  const ids = new Map<string, { readonly key: string; readonly id: string }>();
  let failed = false;
  for (const key of Object.keys(submitted)) {
    const name = `externalIds.${shownKey(key)}`;
    const problem = systemNameProblem(key);
    if (problem !== undefined) {
      errors.push({ field: name, message: problem });
      failed = true;
      continue;
    }
    const raw = submitted[key];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') {
      errors.push({ field: name, message: `must be a string, got ${describeType(raw)}${typeof raw === 'number' ? ' (send ids as strings: "1234")' : ''}` });
      failed = true;
      continue;
    }
    // Checked before trimming too, so a megabyte of text costs one comparison.
    if (raw.length > MAX_EXTERNAL_ID_LENGTH * 2 + 1024) {
      errors.push({ field: name, message: `is longer than ${MAX_EXTERNAL_ID_LENGTH} characters (got ${raw.length})` });
      failed = true;
      continue;
    }
    const id = raw.trim();
    if (id === '') continue;
    if (id.length > MAX_EXTERNAL_ID_LENGTH) {
      errors.push({ field: name, message: `is longer than ${MAX_EXTERNAL_ID_LENGTH} characters (got ${id.length})` });
      failed = true;
      continue;
    }
    const system = normaliseSystemName(key);
    const earlier = ids.get(system);
    if (earlier !== undefined) {
      if (earlier.id !== id) {
        errors.push({ field: name, message: `names the same system as ${JSON.stringify(shownKey(earlier.key))} with a different id` });
        failed = true;
      }
      continue;
    }
    ids.set(system, { key, id });
  }
  if (ids.size > MAX_EXTERNAL_IDS) {
    errors.push({ field: 'externalIds', message: `at most ${MAX_EXTERNAL_IDS} systems, got ${ids.size}` });
    return undefined;
  }
  if (failed || ids.size === 0) return undefined;
  const result: Record<string, string> = {};
  for (const [system, { id }] of ids) result[system] = id;
  return result;
}
