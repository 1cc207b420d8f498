import { NAMES_NO_ONE, namesSomeone, type LeadFields } from '@leadstream/contracts';
import { readExternalIds } from './external-ids';
import type { FieldError } from './header-mapping';
import { websiteProblem } from './website';
import { DEFAULT_INTAKE_RULES, DEFAULT_MAX_LENGTH, type IntakeRules } from './intake-rules';
import {
  ATTRIBUTION_FIELD_NAMES,
  INTAKE_FIELD_NAMES,
  describeType,
  isForbiddenKey,
  isIntakeFieldName,
  shownKey,
  type Attribution,
  type AttributionFieldName,
  type IntakeFieldName,
} from './lead-field-names';

export type LeadInputResult =
  | { readonly ok: true; readonly lead: LeadFields; readonly attribution: Attribution }
  | { readonly ok: false; readonly errors: FieldError[] };

// Well-known throwaway mailbox services. A lead from one of these is rarely a person who wants to hear back.
const DISPOSABLE_DOMAINS: ReadonlySet<string> = new Set([
  'mailinator.com', 'mailinator.net', 'guerrillamail.com', 'guerrillamail.net', 'guerrillamailblock.com', 'sharklasers.com', 'grr.la',
  '10minutemail.com', 'temp-mail.org', 'temp-mail.io', 'tempmail.com', 'tempmail.net', 'tempinbox.com', 'tempr.email', 'mytemp.email',
  'yopmail.com', 'yopmail.net', 'trashmail.com', 'getnada.com', 'dispostable.com', 'maildrop.cc', 'throwawaymail.com',
  'fakeinbox.com', 'mailnesia.com', 'mintemail.com', 'spamgourmet.com', 'mailcatch.com', 'moakt.com', 'emailondeck.com',
  'discard.email', 'burnermail.io', 'getairmail.com', 'dropmail.me', '1secmail.com', 'mohmal.com', 'spambox.us',
]);

/** True when `domain` or a parent of it is a disposable mailbox service (built-in list plus `extra`). */
export function isDisposableEmailDomain(domain: string, extra: readonly string[] = []): boolean {
  let candidate = domain.toLowerCase().replace(/\.+$/, '');
  for (;;) {
    if (DISPOSABLE_DOMAINS.has(candidate) || extra.includes(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot < 0 || candidate.indexOf('.', dot + 1) < 0) return false;
    candidate = candidate.slice(dot + 1);
  }
}

const LOCAL_PART = /^[^\s@"(),:;<>[\\\]]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * Why `email` is not a usable address (said of it, to follow `email: `), or `undefined`. Pragmatic, not the whole of RFC 5322: one `@`,
 * a local part without spaces or specials, a domain of at least two labels with a letter-only top level.
 */
export function emailSyntaxProblem(email: string): string | undefined {
  if (email.length > 254) return 'is longer than 254 characters';
  const at = email.indexOf('@');
  if (at < 0) return 'has no @';
  if (email.indexOf('@', at + 1) >= 0) return 'has more than one @';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length === 0) return 'has nothing before the @';
  if (local.length > 64) return 'has more than 64 characters before the @';
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return 'has spaces or characters not allowed before the @';
  }
  if (domain.length === 0) return 'has no domain after the @';
  const labels = domain.split('.');
  if (labels.length < 2) return `has the domain "${domain}", which has no dot`;
  for (const label of labels) {
    if (!DOMAIN_LABEL.test(label)) return `has the domain "${domain}", which is not a valid domain name`;
  }
  if (!/^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu.test(labels[labels.length - 1] as string)) return `has the domain "${domain}", which has no valid top-level domain`;
  return undefined;
}

/**
 * Why `phone` cannot be a phone number (said of it, to follow `phone: `), or `undefined`: only digits, spaces and + ( ) - . / are allowed
 * (an extension such as "x204" is fine); an international number (+ or 00) has 8 to 15 digits and does
 * not start with 0, a national one 6 to 15 digits. Conversion to E.164 is enrichment's job.
 */
export function phoneProblem(phone: string): string | undefined {
  const main = phone.replace(/\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\s*$/i, '');
  if (!/^[+\d\s().\-/]+$/.test(main) || main.indexOf('+') > 0) {
    return 'may contain only digits, spaces, + ( ) - . / and an extension';
  }
  const digits = main.replace(/\D/g, '');
  const international = main.startsWith('+') || digits.startsWith('00');
  const significant = main.startsWith('+') ? digits : digits.startsWith('00') ? digits.slice(2) : digits;
  if (international) {
    if (significant.length < 8 || significant.length > 15 || significant.startsWith('0')) {
      return `"${phone}" is not a valid international number (8 to 15 digits after the country code prefix)`;
    }
  } else if (significant.length < 6 || significant.length > 15) {
    return `"${phone}" has ${significant.length} digits; a phone number has 6 to 15`;
  }
  return undefined;
}

const UTM_PARAMETERS: readonly (readonly [AttributionFieldName, string])[] = [
  ['utmSource', 'utm_source'],
  ['utmMedium', 'utm_medium'],
  ['utmCampaign', 'utm_campaign'],
  ['utmTerm', 'utm_term'],
  ['utmContent', 'utm_content'],
];

/** UTM values from a landing page URL's query string, for the UTM fields the input did not carry. */
function utmFromLandingPage(attribution: Partial<Record<AttributionFieldName, string>>, rules: IntakeRules): void {
  const landingPage = attribution.landingPage;
  if (landingPage === undefined) return;
  const question = landingPage.indexOf('?');
  if (question < 0) return;
  const hash = landingPage.indexOf('#', question);
  const query = new URLSearchParams(landingPage.slice(question + 1, hash < 0 ? undefined : hash));
  for (const [field, parameter] of UTM_PARAMETERS) {
    if (attribution[field] !== undefined) continue;
    const value = query.get(parameter)?.trim();
    if (value !== undefined && value !== '' && value.length <= maxLengthOf(field, rules)) attribution[field] = value;
  }
}

function maxLengthOf(field: IntakeFieldName, rules: IntakeRules): number {
  return rules.maxLength[field] ?? DEFAULT_MAX_LENGTH[field];
}

const ATTRIBUTION_FIELDS: ReadonlySet<string> = new Set(ATTRIBUTION_FIELD_NAMES);

type Sink = Record<string, string>;

function readField(
  key: string,
  value: unknown,
  scope: 'root' | 'attribution',
  rules: IntakeRules,
  lead: Sink,
  attribution: Partial<Record<AttributionFieldName, string>>,
  errors: FieldError[],
): void {
  const name = scope === 'root' ? shownKey(key) : `attribution.${shownKey(key)}`;
  if (isForbiddenKey(key)) {
    errors.push({ field: name, message: 'is not allowed as a field name' });
    return;
  }
  const known = scope === 'root' ? isIntakeFieldName(key) : ATTRIBUTION_FIELDS.has(key);
  if (!known) {
    const allowed = scope === 'root' ? [...INTAKE_FIELD_NAMES, 'attribution', 'externalIds'] : ATTRIBUTION_FIELD_NAMES;
    errors.push({ field: name, message: `is not a known field; allowed: ${allowed.join(', ')}` });
    return;
  }
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    errors.push({ field: name, message: `must be a string, got ${describeType(value)}` });
    return;
  }
  const field = key as IntakeFieldName;
  const limit = maxLengthOf(field, rules);
  // Checked before trimming too, so a megabyte of text costs one comparison, not a regex pass.
  if (value.length > limit * 2 + 1024) {
    errors.push({ field: name, message: `is longer than ${limit} characters (got ${value.length})` });
    return;
  }
  const trimmed = value.trim();
  if (trimmed === '') return;
  if (trimmed.length > limit) {
    errors.push({ field: name, message: `is longer than ${limit} characters (got ${trimmed.length})` });
    return;
  }
  if (ATTRIBUTION_FIELDS.has(field)) {
    if (attribution[field as AttributionFieldName] !== undefined) {
      errors.push({ field: name, message: 'is given twice (as a field and inside attribution)' });
      return;
    }
    attribution[field as AttributionFieldName] = trimmed;
  } else {
    lead[field] = trimmed;
  }
}

function readAttributionObject(
  value: unknown,
  rules: IntakeRules,
  attribution: Partial<Record<AttributionFieldName, string>>,
  errors: FieldError[],
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'attribution', message: `must be an object, got ${describeType(value)}` });
    return;
  }
  const nested = value as Record<string, unknown>;
  for (const key of Object.keys(nested)) readField(key, nested[key], 'attribution', rules, {}, attribution, errors);
}

const IDENTIFYING_FIELDS = ['email', 'phone', 'firstName', 'lastName', 'company', 'website'] as const;

/**
 * The identifying fields as `namesSomeone` should judge them: those read, plus those sent with an error
 * (`unreadable`: a lead whose only identifier is malformed is told to fix it, not that it names no one).
 */
function identifiersSent(lead: Readonly<Record<string, string>>, externalIds: Readonly<Record<string, string>> | undefined, unreadable: ReadonlySet<string>): LeadFields {
  const sent: Record<string, unknown> = {};
  for (const field of IDENTIFYING_FIELDS) {
    if (lead[field] !== undefined || unreadable.has(field)) sent[field] = lead[field] ?? '(sent)';
  }
  if (externalIds !== undefined || unreadable.has('externalIds')) sent['externalIds'] = externalIds ?? { sent: '(sent)' };
  return sent as LeadFields;
}

/**
 * The refusal of a lead that names no one: NAMES_NO_ONE, with what it lacks when it came close (a name
 * without a company, a company without a name, a phone the rules drop). `field` is '' (the lead as a
 * whole, as contracts' `data.lead`), so `fieldErrorText` shows the message alone.
 */
function namesNoOneError(sent: LeadFields, phoneIgnored: boolean): FieldError {
  const named = sent.firstName !== undefined || sent.lastName !== undefined;
  const employed = sent.company !== undefined || sent.website !== undefined;
  let detail = '';
  if (phoneIgnored) detail = ' (the intake rules ignore phone numbers)';
  else if (named && !employed) detail = ' (a name alone is not enough: add the company or its website)';
  else if (employed && !named) detail = " (a company alone is not enough: add the person's name)";
  return { field: '', message: `${NAMES_NO_ONE}${detail}` };
}

/** True for the error `validateLeadInput` gives a lead that names no one. */
export function isNamesNoOneError(error: FieldError): boolean {
  return error.field === '' && error.message.startsWith(NAMES_NO_ONE);
}

/**
 * Validates one submitted lead (a JSON body, a form post or a CSV row, already mapped to field names)
 * against the rules. Strings are trimmed; blank strings and `null` count as absent. Attribution fields
 * may come flat (`utmSource`) or nested (`attribution: { utmSource }`); the lead returned carries them
 * as `lead.attribution` (when any) and they are returned apart too. `externalIds` (system name -> id) is
 * read by `readExternalIds`: names lower-cased, ids trimmed, blank ids dropped, absent when none is left.
 * The lead must name someone (contracts' `namesSomeone`: an email, a phone, an external id, or a name
 * with a company or website); one that does not gets `{ field: '', message: NAMES_NO_ONE... }`. The email
 * is optional unless the rules require it, and checked when present.
 * Every problem is reported, each naming its field; nothing throws.
 */
export function validateLeadInput(input: unknown, rules: IntakeRules = DEFAULT_INTAKE_RULES): LeadInputResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '(body)', message: `expected an object of lead fields, got ${describeType(input)}` }] };
  }
  const errors: FieldError[] = [];
  const lead: Record<string, string> = {};
  const attribution: Partial<Record<AttributionFieldName, string>> = {};
  const body = input as Record<string, unknown>;
  let externalIds: Record<string, string> | undefined;
  for (const key of Object.keys(body)) {
    if (key === 'attribution') {
      readAttributionObject(body[key], rules, attribution, errors);
      continue;
    }
    if (key === 'externalIds') {
      externalIds = readExternalIds(body[key], errors);
      continue;
    }
    readField(key, body[key], 'root', rules, lead, attribution, errors);
  }

  // Fields sent but not read (a number for a phone, a bad external id): they count as given below.
  const unreadable = new Set(errors.map((error) => (error.field.startsWith('externalIds') ? 'externalIds' : error.field)));
  for (const field of rules.required) {
    if (lead[field] === undefined && !errors.some((error) => error.field === field)) {
      errors.push({ field, message: 'is required' });
    }
  }
  const phoneIgnored = rules.phone === 'ignore' && lead['phone'] !== undefined;
  if (phoneIgnored) delete lead['phone'];
  // A missing email or phone the rules require already says what to add.
  const askedFor = errors.some((error) => (error.field === 'email' || error.field === 'phone') && error.message === 'is required');
  const sent = identifiersSent(lead, externalIds, unreadable);
  if (!askedFor && !namesSomeone(sent)) errors.push(namesNoOneError(sent, phoneIgnored));

  const email = lead['email'];
  if (email !== undefined) {
    const problem = emailSyntaxProblem(email);
    if (problem !== undefined) {
      errors.push({ field: 'email', message: problem });
    } else if (rules.rejectDisposableEmail) {
      const domain = email.slice(email.indexOf('@') + 1).toLowerCase();
      if (isDisposableEmailDomain(domain, rules.disposableDomains)) {
        errors.push({ field: 'email', message: `uses a disposable mailbox domain (${domain})` });
      }
    }
  }

  const phone = lead['phone'];
  if (phone !== undefined && rules.phone === 'reject-invalid') {
    const problem = phoneProblem(phone);
    if (problem !== undefined) errors.push({ field: 'phone', message: problem });
  }

  const website = lead['website'];
  if (website !== undefined) {
    const problem = websiteProblem(website);
    if (problem !== undefined) errors.push({ field: 'website', message: problem });
  }

  if (errors.length > 0) return { ok: false, errors };
  utmFromLandingPage(attribution, rules);
  const result: Record<string, unknown> = lead;
  if (Object.keys(attribution).length > 0) result['attribution'] = attribution;
  if (externalIds !== undefined) result['externalIds'] = externalIds;
  return { ok: true, lead: result as unknown as LeadFields, attribution };
}
