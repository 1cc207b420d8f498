import { ContractViolation } from './errors';
import { EVENT_TYPES, EVENT_VERSIONS, isEventType, type EventType, type LeadstreamEvent } from './events';
import { isUuid } from './event-ids';
import { ACTIVITY_KINDS, ATTRIBUTION_FIELDS, DEPARTMENTS, EXTERNAL_SYSTEM_NAME, FIRMOGRAPHICS_OUTCOMES, GRADES, LEAD_CHANNELS, MAX_EXTERNAL_IDS, MERGE_DECIDERS, NAMES_NO_ONE, SENIORITIES, namesSomeone, type LeadFields } from './lead';

type Json = Record<string, unknown>;

const MAX_DEPTH = 16;
const MAX_TEXT = 1000;
const MAX_EMAIL = 320;
const MAX_ID = 200;
// A lead's website is a URL: as long as attribution's pages may be.
const MAX_WEBSITE = 2048;
const MAX_LIST = 1000;
const MAX_DETAIL_ENTRIES = 50;

function fail(path: string, problem: string): never {
  throw new ContractViolation(path, `${path === '' ? 'event' : path} ${problem}`);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

interface ForbiddenFinding {
  readonly segments: (string | number)[];
  readonly problem: string;
}

// Keys that could rewrite a prototype when a consumer spreads or merges the payload.
function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

// Walks without building path strings or key arrays (this runs on every event published and consumed);
// the path is put together only for the one finding that fails the event. for...in sees every own
// enumerable key, which is all JSON.parse and object literals make; inherited ones are checked too,
// which costs nothing when there are none.
function findForbidden(value: object, depth: number): ForbiddenFinding | undefined {
  if (depth > MAX_DEPTH) return { segments: [], problem: `is nested more than ${MAX_DEPTH} levels deep` };
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const child: unknown = value[index];
      if (child === null || typeof child !== 'object') continue;
      const found = findForbidden(child, depth + 1);
      if (found) {
        found.segments.unshift(index);
        return found;
      }
    }
    return undefined;
  }
  for (const key in value) {
    if (isForbiddenKey(key)) return { segments: [key], problem: 'is a forbidden key' };
    const child = (value as Json)[key];
    if (child === null || typeof child !== 'object') continue;
    const found = findForbidden(child, depth + 1);
    if (found) {
      found.segments.unshift(key);
      return found;
    }
  }
  return undefined;
}

function rejectForbiddenKeys(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const found = findForbidden(value, 0);
  if (found) fail(found.segments.reduce<string>((path, key) => join(path, key), ''), found.problem);
}

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(path, `must be an object, got ${value === undefined ? 'nothing' : describe(value)}`);
  }
  return value as Json;
}

function field(owner: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(owner, key) ? owner[key] : undefined;
}

function text(owner: Json, key: string, path: string, max = MAX_TEXT): string {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, 'is required');
  if (typeof value !== 'string') fail(at, `must be a string, got ${describe(value)}`);
  if (value.trim().length === 0) fail(at, 'must not be empty');
  if (value.length > max) fail(at, `must be at most ${max} characters, got ${value.length}`);
  return value;
}

function optionalText(owner: Json, key: string, path: string, max = MAX_TEXT): string | undefined {
  if (field(owner, key) === undefined) return undefined;
  const at = join(path, key);
  const value = owner[key];
  if (typeof value !== 'string') fail(at, `must be a string when present, got ${describe(value)}`);
  if (value.length > max) fail(at, `must be at most ${max} characters, got ${value.length}`);
  return value;
}

function oneOf<T extends string>(owner: Json, key: string, path: string, allowed: readonly T[]): T {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, `is required (one of ${quoteList(allowed)})`);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(at, `must be one of ${quoteList(allowed)}, got ${describe(value)}`);
  }
  return value as T;
}

function finiteNumber(owner: Json, key: string, path: string): number {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, 'is required');
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(at, `must be a finite number, got ${describe(value)}`);
  return value;
}

function uuid(owner: Json, key: string, path: string): string {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, 'is required');
  if (!isUuid(value)) fail(at, `must be a lower-case UUID, got ${describe(value)}`);
  return value;
}

function boolean(owner: Json, key: string, path: string): boolean {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, 'is required');
  if (typeof value !== 'boolean') fail(at, `must be true or false, got ${describe(value)}`);
  return value;
}

function list(owner: Json, key: string, path: string): unknown[] {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, 'is required');
  if (!Array.isArray(value)) fail(at, `must be an array, got ${describe(value)}`);
  if (value.length > MAX_LIST) fail(at, `must hold at most ${MAX_LIST} entries, got ${value.length}`);
  return value;
}

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

// The digits at `from`..`from + length` as a number, or -1 when one of them is not a digit.
function digitsAt(value: string, from: number, length: number): number {
  let n = 0;
  for (let i = from; i < from + length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

// The form every service writes (Date#toISOString: YYYY-MM-DDTHH:MM:SS.sssZ), checked character by
// character. true only for a real instant in that form; anything else goes to the general check.
function isCanonicalUtc(value: string): boolean {
  if (value.length !== 24) return false;
  const c = (i: number): number => value.charCodeAt(i);
  // '-' 45, ':' 58, '.' 46, 'T' 84, 'Z' 90
  if (c(4) !== 45 || c(7) !== 45 || c(10) !== 84 || c(13) !== 58 || c(16) !== 58 || c(19) !== 46 || c(23) !== 90) return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 0 || digitsAt(value, 20, 3) < 0 || month < 1 || month > 12 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  return day >= 1 && day <= daysInMonth(year, month);
}

/** True for an ISO-8601 date-time naming a real instant; with `utcOnly`, the zone must be `Z`. */
export function isIsoTimestamp(value: unknown, utcOnly = false): value is string {
  if (typeof value !== 'string') return false;
  if (isCanonicalUtc(value)) return true;
  const match = ISO_TIMESTAMP.exec(value);
  if (match === null) return false;
  const [, year, month, day, hour, minute, second, , zone] = match;
  if (utcOnly && zone !== 'Z') return false;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
  if (d < 1 || d > daysInMonth(y, m)) return false;
  return !Number.isNaN(Date.parse(value));
}

function timestamp(owner: Json, key: string, path: string, utcOnly: boolean): string {
  const at = join(path, key);
  const value = field(owner, key);
  if (value === undefined) fail(at, 'is required');
  if (!isIsoTimestamp(value, utcOnly)) {
    fail(
      at,
      utcOnly
        ? `must be an ISO-8601 UTC timestamp such as 2026-01-31T09:30:00.000Z, got ${describe(value)}`
        : `must be an ISO-8601 timestamp such as 2026-01-31T09:30:00.000Z, got ${describe(value)}`,
    );
  }
  return value;
}

const LEAD_TEXT_FIELDS = ['firstName', 'lastName', 'company', 'title', 'phone', 'country', 'source', 'campaign'] as const;

function checkLeadFields(raw: unknown, path: string): Json {
  const lead = object(raw, path);
  const email = optionalText(lead, 'email', path, MAX_EMAIL);
  if (email !== undefined) {
    const at = email.indexOf('@');
    if (at <= 0 || at === email.length - 1) fail(join(path, 'email'), `must be an email address, got ${describe(email)}`);
  }
  for (const key of LEAD_TEXT_FIELDS) optionalText(lead, key, path);
  optionalText(lead, 'website', path, MAX_WEBSITE);
  if (field(lead, 'attribution') !== undefined) {
    const attributionPath = join(path, 'attribution');
    const attribution = object(lead['attribution'], attributionPath);
    for (const key of ATTRIBUTION_FIELDS) optionalText(attribution, key, attributionPath, 2048);
  }
  if (field(lead, 'externalIds') !== undefined) checkExternalIds(lead['externalIds'], join(path, 'externalIds'));
  if (!namesSomeone(lead as LeadFields)) fail(path, NAMES_NO_ONE);
  return lead;
}

const MAX_REASON_ACTIVITY_IDS = 20;

function checkScoreReason(raw: unknown, at: string): void {
  const reason = object(raw, at);
  text(reason, 'rule', at);
  finiteNumber(reason, 'points', at);
  optionalOneOf(reason, 'kind', at, ['fit', 'engagement'] as const);
  if (field(reason, 'fields') !== undefined) {
    const fieldsAt = join(at, 'fields');
    const fields = object(reason['fields'], fieldsAt);
    for (const [name, value] of Object.entries(fields)) {
      if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
        fail(join(fieldsAt, name), `must be text, a number, true/false or null, got ${describe(value)}`);
      }
    }
  }
  if (field(reason, 'activityIds') !== undefined) {
    const ids = list(reason, 'activityIds', at);
    if (ids.length > MAX_REASON_ACTIVITY_IDS) fail(join(at, 'activityIds'), `must list at most ${MAX_REASON_ACTIVITY_IDS} activities, got ${ids.length}`);
    ids.forEach((id, index) => {
      if (!isUuid(id)) fail(join(join(at, 'activityIds'), index), `must be an activity event id (UUID), got ${describe(id)}`);
    });
  }
  for (const key of ['activityCount', 'uncapped'] as const) if (field(reason, key) !== undefined) finiteNumber(reason, key, at);
}

function checkExternalIds(raw: unknown, path: string): void {
  const ids = object(raw, path);
  const systems = Object.keys(ids);
  if (systems.length > MAX_EXTERNAL_IDS) fail(path, `must hold at most ${MAX_EXTERNAL_IDS} systems, got ${systems.length}`);
  for (const system of systems) {
    if (!EXTERNAL_SYSTEM_NAME.test(system)) fail(join(path, system), `is not a system name: use 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit`);
    text(ids, system, path, MAX_ID);
  }
}

function optionalLine(data: Json): void {
  const line = field(data, 'line');
  if (line !== undefined && (typeof line !== 'number' || !Number.isInteger(line) || line < 1)) {
    fail('data.line', `must be a line number (integer >= 1) when present, got ${describe(line)}`);
  }
}

// Fields enrichment adds beside the submitted ones; all optional, so events enriched before they existed still pass.
const ENRICHED_TEXT_FIELDS = ['phoneAsTyped', 'honorific', 'nameSuffix'] as const;
const ENRICHED_FLAGS = ['phoneUnparseable', 'isDisposableEmail'] as const;

function checkEnrichedLead(raw: unknown, path: string): void {
  const lead = checkLeadFields(raw, path);
  const email = lead['email'] as string | undefined;
  if (email === undefined) {
    // A lead known by its phone, an external id, or its name and company: nothing derived from an address.
    for (const key of ['emailDomain', 'isFreeEmail', 'isDisposableEmail'] as const) {
      if (field(lead, key) !== undefined) fail(join(path, key), 'must be absent when the lead has no email');
    }
  } else {
    if (email !== email.trim().toLowerCase()) {
      fail(join(path, 'email'), `must be trimmed and lower-case after enrichment, got ${describe(email)}`);
    }
    const emailDomain = text(lead, 'emailDomain', path);
    if (emailDomain !== emailDomain.toLowerCase() || /\s|@/.test(emailDomain)) {
      fail(join(path, 'emailDomain'), `must be a lower-case domain name, got ${describe(emailDomain)}`);
    }
    boolean(lead, 'isFreeEmail', path);
  }
  optionalText(lead, 'companyDomain', path);
  optionalText(lead, 'companyKey', path);
  const country = optionalText(lead, 'country', path);
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
    fail(join(path, 'country'), `must be an ISO 3166-1 alpha-2 code in upper case after enrichment, got ${describe(country)}`);
  }
  for (const key of ENRICHED_TEXT_FIELDS) optionalText(lead, key, path);
  for (const key of ENRICHED_FLAGS) optionalBoolean(lead, key, path);
  optionalOneOf(lead, 'seniority', path, SENIORITIES);
  optionalOneOf(lead, 'department', path, DEPARTMENTS);
  optionalText(lead, 'territory', path, MAX_ID);
  if (field(lead, 'accountId') !== undefined) uuid(lead, 'accountId', path);
  if (field(lead, 'firmographics') !== undefined) checkFirmographics(lead['firmographics'], join(path, 'firmographics'));
  if (field(lead, 'enrichment') !== undefined) checkEnrichmentReport(lead['enrichment'], join(path, 'enrichment'));
}

function checkFirmographics(raw: unknown, path: string): void {
  const company = object(raw, path);
  text(company, 'domain', path);
  for (const key of ['companyName', 'industry', 'parentDomain'] as const) optionalText(company, key, path);
  for (const key of ['employeeCount', 'annualRevenue'] as const) {
    const value = field(company, key);
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      fail(join(path, key), `must be a number >= 0 when present, got ${describe(value)}`);
    }
  }
  const country = optionalText(company, 'country', path);
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) fail(join(path, 'country'), `must be an ISO 3166-1 alpha-2 code in upper case, got ${describe(country)}`);
}

function checkEnrichmentReport(raw: unknown, path: string): void {
  const report = object(raw, path);
  oneOf(report, 'firmographics', path, FIRMOGRAPHICS_OUTCOMES);
  optionalText(report, 'source', path, MAX_ID);
  optionalOneOf(report, 'matchedBy', path, ['domain', 'name'] as const);
  optionalText(report, 'territoryTable', path, MAX_ID);
  const missing = field(report, 'missing');
  if (missing !== undefined && (!Array.isArray(missing) || missing.some((item) => typeof item !== 'string'))) {
    fail(join(path, 'missing'), `must be a list of field names when present, got ${describe(missing)}`);
  }
  const failures = field(report, 'failures');
  if (failures !== undefined) {
    if (!Array.isArray(failures)) fail(join(path, 'failures'), `must be a list when present, got ${describe(failures)}`);
    failures.forEach((entry: unknown, index) => {
      const at = `${join(path, 'failures')}[${index}]`;
      const failure = object(entry, at);
      text(failure, 'provider', at, MAX_ID);
      text(failure, 'reason', at, MAX_ID);
    });
  }
}

function optionalBoolean(owner: Json, key: string, path: string): void {
  const value = field(owner, key);
  if (value !== undefined && typeof value !== 'boolean') fail(join(path, key), `must be true or false when present, got ${describe(value)}`);
}

function optionalOneOf<T extends string>(owner: Json, key: string, path: string, allowed: readonly T[]): void {
  if (field(owner, key) !== undefined) oneOf(owner, key, path, allowed);
}

function checkAssignee(raw: unknown, path: string): void {
  const assignee = object(raw, path);
  const kind = oneOf(assignee, 'kind', path, ['rep', 'queue'] as const);
  if (kind === 'rep') text(assignee, 'repId', path, MAX_ID);
  else text(assignee, 'queueId', path, MAX_ID);
}

function uuidList(owner: Json, key: string, path: string, min: number): string[] {
  const at = join(path, key);
  const values = list(owner, key, path);
  if (values.length < min) fail(at, `must name at least ${min} lead(s), got ${values.length}`);
  values.forEach((value, index) => {
    if (!isUuid(value)) fail(join(at, index), `must be a lower-case UUID, got ${describe(value)}`);
  });
  return values as string[];
}

function checkFeatures(raw: unknown, path: string): void {
  if (!Array.isArray(raw)) fail(path, `must be a list, got ${describe(raw)}`);
  if (raw.length > MAX_LIST) fail(path, `must hold at most ${MAX_LIST} entries, got ${raw.length}`);
  raw.forEach((entry: unknown, index) => {
    const at = join(path, index);
    const feature = object(entry, at);
    text(feature, 'name', at, MAX_ID);
    finiteNumber(feature, 'similarity', at);
    finiteNumber(feature, 'weight', at);
    optionalText(feature, 'left', at);
    optionalText(feature, 'right', at);
  });
}

function checkProvenance(raw: unknown, path: string): void {
  const provenance = object(raw, path);
  for (const key of Object.keys(provenance)) uuid(provenance, key, path);
}

type DataCheck = (data: Json, metadata: Json) => void;

const DATA_CHECKS: { readonly [T in EventType]: DataCheck } = {
  'lead.received': (data) => {
    checkLeadFields(field(data, 'lead'), 'data.lead');
    oneOf(data, 'channel', 'data', LEAD_CHANNELS);
    optionalText(data, 'importId', 'data', MAX_ID);
    optionalText(data, 'formId', 'data', MAX_ID);
    optionalLine(data);
    if (field(data, 'consent') !== undefined) {
      const consent = object(data['consent'], 'data.consent');
      text(consent, 'text', 'data.consent');
      boolean(consent, 'given', 'data.consent');
    }
  },
  'lead.rejected': (data) => {
    const reasons = list(data, 'reasons', 'data');
    if (reasons.length === 0) fail('data.reasons', 'must name at least one reason');
    reasons.forEach((raw, index) => {
      const at = join('data.reasons', index);
      const reason = object(raw, at);
      // The field may be '' when the whole input was unreadable, so only its type is checked.
      const fieldName = field(reason, 'field');
      if (typeof fieldName !== 'string') fail(join(at, 'field'), `must be a string, got ${describe(fieldName)}`);
      text(reason, 'message', at);
    });
    optionalText(data, 'source', 'data');
    oneOf(data, 'channel', 'data', LEAD_CHANNELS);
    optionalText(data, 'importId', 'data', MAX_ID);
    optionalText(data, 'formId', 'data', MAX_ID);
    optionalLine(data);
  },
  'lead.enriched': (data) => checkEnrichedLead(field(data, 'lead'), 'data.lead'),
  'lead.resolved': (data, metadata) => {
    const outcome = oneOf(data, 'outcome', 'data', ['new', 'merged'] as const);
    const masterLeadId = uuid(data, 'masterLeadId', 'data');
    if (outcome === 'new' && masterLeadId !== metadata['leadId']) {
      fail('data.masterLeadId', `must equal metadata.leadId when outcome is 'new', got ${describe(masterLeadId)}`);
    }
    optionalText(data, 'matchedOn', 'data');
    checkEnrichedLead(field(data, 'lead'), 'data.lead');
    if (field(data, 'clusterLeadIds') !== undefined) uuidList(data, 'clusterLeadIds', 'data', 1);
    if (field(data, 'provenance') !== undefined) checkProvenance(data['provenance'], 'data.provenance');
    if (field(data, 'match') !== undefined) {
      const match = object(data['match'], 'data.match');
      text(match, 'ruleSetVersion', 'data.match', MAX_ID);
      uuid(match, 'matchedLeadId', 'data.match');
      finiteNumber(match, 'score', 'data.match');
      list(match, 'on', 'data.match');
      checkFeatures(match['features'], 'data.match.features');
    }
    if (field(data, 'reviewPairs') !== undefined) {
      list(data, 'reviewPairs', 'data').forEach((entry, index) => {
        const at = join('data.reviewPairs', index);
        const pair = object(entry, at);
        uuid(pair, 'pairId', at);
        uuid(pair, 'leadId', at);
        finiteNumber(pair, 'score', at);
      });
    }
  },
  'lead.merged': (data, metadata) => {
    const survivor = uuid(data, 'survivorLeadId', 'data');
    if (survivor !== metadata['leadId']) fail('data.survivorLeadId', `must equal metadata.leadId, got ${describe(survivor)}`);
    const merged = uuidList(data, 'mergedLeadIds', 'data', 1);
    if (merged.includes(survivor)) fail('data.mergedLeadIds', 'must not name the surviving lead');
    uuidList(data, 'clusterLeadIds', 'data', 2);
    checkEnrichedLead(field(data, 'lead'), 'data.lead');
    checkProvenance(field(data, 'provenance'), 'data.provenance');
    const decision = object(field(data, 'decision'), 'data.decision');
    oneOf(decision, 'by', 'data.decision', MERGE_DECIDERS);
    text(decision, 'ruleSetVersion', 'data.decision', MAX_ID);
    if (field(decision, 'score') !== undefined) finiteNumber(decision, 'score', 'data.decision');
    if (field(decision, 'features') !== undefined) checkFeatures(decision['features'], 'data.decision.features');
    if (field(decision, 'reviewPairId') !== undefined) uuid(decision, 'reviewPairId', 'data.decision');
    optionalText(decision, 'requestedBy', 'data.decision', MAX_ID);
  },
  'lead.unmerged': (data, metadata) => {
    const former = uuid(data, 'formerSurvivorLeadId', 'data');
    if (former === metadata['leadId']) fail('data.formerSurvivorLeadId', 'must be another lead than the one split off (metadata.leadId)');
    checkEnrichedLead(field(data, 'lead'), 'data.lead');
    checkEnrichedLead(field(data, 'survivorLead'), 'data.survivorLead');
    uuidList(data, 'clusterLeadIds', 'data', 1);
    checkProvenance(field(data, 'provenance'), 'data.provenance');
    optionalText(data, 'requestedBy', 'data', MAX_ID);
  },
  'lead.merge-requested': (data, metadata) => {
    const leadIds = uuidList(data, 'leadIds', 'data', 2);
    if (leadIds[0] !== metadata['leadId']) fail('data.leadIds', 'must start with metadata.leadId');
    if (new Set(leadIds).size !== leadIds.length) fail('data.leadIds', 'must not name a lead twice');
    if (field(data, 'reviewPairId') !== undefined) uuid(data, 'reviewPairId', 'data');
    text(data, 'requestedBy', 'data', MAX_ID);
  },
  'lead.unmerge-requested': (data) => {
    text(data, 'requestedBy', 'data', MAX_ID);
  },
  'lead.scored': (data) => {
    finiteNumber(data, 'score', 'data');
    oneOf(data, 'grade', 'data', GRADES);
    text(data, 'ruleSetVersion', 'data', MAX_ID);
    list(data, 'reasons', 'data').forEach((raw, index) => checkScoreReason(raw, join('data.reasons', index)));
    checkEnrichedLead(field(data, 'lead'), 'data.lead');
  },
  'lead.qualified': (data) => {
    oneOf(data, 'stage', 'data', ['MQL', 'SQL'] as const);
    finiteNumber(data, 'score', 'data');
    text(data, 'ruleSetVersion', 'data', MAX_ID);
    optionalOneOf(data, 'by', 'data', ['score', 'qualification'] as const);
  },
  'lead.assigned': (data) => {
    checkAssignee(field(data, 'assignee'), 'data.assignee');
    text(data, 'rule', 'data');
    finiteNumber(data, 'score', 'data');
    oneOf(data, 'grade', 'data', GRADES);
  },
  'activity.recorded': (data) => {
    oneOf(data, 'kind', 'data', ACTIVITY_KINDS);
    timestamp(data, 'at', 'data', false);
    optionalText(data, 'email', 'data', MAX_EMAIL);
    optionalText(data, 'url', 'data', 2048);
    if (field(data, 'detail') !== undefined) {
      const detail = object(data['detail'], 'data.detail');
      const keys = Object.keys(detail);
      if (keys.length > MAX_DETAIL_ENTRIES) fail('data.detail', `must hold at most ${MAX_DETAIL_ENTRIES} entries, got ${keys.length}`);
      for (const key of keys) {
        const value = detail[key];
        if (typeof value !== 'string') fail(join('data.detail', key), `must be a string, got ${describe(value)}`);
        if (value.length > MAX_TEXT) fail(join('data.detail', key), `must be at most ${MAX_TEXT} characters, got ${value.length}`);
      }
    }
  },
  'nurture.enrolled': (data) => {
    text(data, 'sequenceId', 'data', MAX_ID);
    text(data, 'queueId', 'data', MAX_ID);
  },
};

function decode(raw: unknown): unknown {
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    const source = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
    try {
      return JSON.parse(source) as unknown;
    } catch (error) {
      fail('', `is not valid JSON: ${(error as Error).message}`);
    }
  }
  return raw;
}

/**
 * Validates a consumed event: the envelope (uuid ids, ISO UTC time, integer version the build understands),
 * a known type, and that type's data. Accepts the decoded object or the raw JSON (string or bytes).
 * Returns the same object, typed; unknown extra fields are tolerated and kept, but `__proto__`,
 * `constructor` and `prototype` keys are rejected anywhere. Throws ContractViolation on the first problem.
 */
export function parseEvent(raw: unknown): LeadstreamEvent {
  const value = decode(raw);
  rejectForbiddenKeys(value);
  const envelope = object(value, '');

  const type = field(envelope, 'type');
  if (type === undefined) fail('type', 'is required');
  if (!isEventType(type)) fail('type', `must be a known event type (${quoteList(EVENT_TYPES)}), got ${describe(type)}`);

  const version = field(envelope, 'version');
  if (version === undefined) fail('version', 'is required');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail('version', `must be an integer >= 1, got ${describe(version)}`);
  }
  if (version > EVENT_VERSIONS[type]) {
    fail('version', `${version} of ${type} is newer than this build understands (up to ${EVENT_VERSIONS[type]})`);
  }

  const metadata = object(field(envelope, 'metadata'), 'metadata');
  uuid(metadata, 'eventId', 'metadata');
  uuid(metadata, 'leadId', 'metadata');
  timestamp(metadata, 'occurredAt', 'metadata', true);
  text(metadata, 'correlationId', 'metadata', MAX_ID);
  const causationId = field(metadata, 'causationId');
  if (causationId === undefined) fail('metadata.causationId', 'is required (null for edge events)');
  if (causationId !== null && !isUuid(causationId)) {
    fail('metadata.causationId', `must be a lower-case UUID or null, got ${describe(causationId)}`);
  }

  const data = object(field(envelope, 'data'), 'data');
  DATA_CHECKS[type](data, metadata);
  return envelope as unknown as LeadstreamEvent;
}
