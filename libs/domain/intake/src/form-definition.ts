import { InvalidFormDefinitionError } from './intake-error';
import {
  FIELD_LABELS,
  INTAKE_FIELD_NAMES,
  describeType,
  isForbiddenKey,
  isIntakeFieldName,
  type IntakeFieldName,
} from './lead-field-names';

/** A web-to-lead form: configuration with a version, loaded and checked by `validateFormDefinition`. */
export interface FormDefinition {
  readonly formId: string;
  readonly version: string;
  /** Form field name (the `name` of the HTML input) -> the intake field it fills. Must fill `email`. */
  readonly fieldMapping: Readonly<Record<string, IntakeFieldName>>;
  /** Where the browser goes after a successful post (the thank-you page). */
  readonly redirectUrl?: string;
  /** Origins (`https://www.example.com`) allowed to post; `*` allows any. */
  readonly allowedOrigins: readonly string[];
  /** A field people never see; a bot that fills it is dropped without a word. */
  readonly honeypotField?: string;
  /** Lead source and campaign given to every lead of this form unless the post carries its own. */
  readonly source?: string;
  readonly campaign?: string;
}

export type FormSubmission = { readonly kind: 'bot' } | { readonly kind: 'lead'; readonly input: Record<string, unknown> };

const FORM_KEYS: ReadonlySet<string> = new Set([
  'formId',
  'version',
  'fieldMapping',
  'redirectUrl',
  'allowedOrigins',
  'honeypotField',
  'source',
  'campaign',
]);
const FORM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const FORM_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

// Tracking scripts add these hidden inputs to forms; they fill attribution without being mapped.
const ATTRIBUTION_PARAMETERS: Readonly<Record<string, IntakeFieldName>> = {
  utm_source: 'utmSource',
  utm_medium: 'utmMedium',
  utm_campaign: 'utmCampaign',
  utm_term: 'utmTerm',
  utm_content: 'utmContent',
  referrer: 'referrer',
  landing_page: 'landingPage',
};

function fail(path: string, message: string): never {
  throw new InvalidFormDefinitionError(path, message);
}

function optionalText(raw: Record<string, unknown>, key: string, maxLength: number): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    fail(key, `expected a non-empty string of at most ${maxLength} characters, got ${describeType(value)}`);
  }
  return value.trim();
}

function webUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `https://Example.com:443/` -> `https://example.com`; `undefined` for anything that is not an http(s) origin. */
function normaliseOrigin(value: string): string | undefined {
  const url = webUrl(value.trim());
  if (url === undefined) return undefined;
  return url.origin;
}

/**
 * Checks a form definition loaded from configuration. Throws InvalidFormDefinitionError
 * ('INTAKE.INVALID_FORM') naming the offending entry.
 */
export function validateFormDefinition(raw: unknown): FormDefinition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('', `expected an object, got ${describeType(raw)}`);
  const form = raw as Record<string, unknown>;
  for (const key of Object.keys(form)) {
    if (!FORM_KEYS.has(key)) fail(key, `unknown setting; expected one of ${[...FORM_KEYS].join(', ')}`);
  }
  const { formId, version, fieldMapping, allowedOrigins } = form;
  if (typeof formId !== 'string' || !FORM_ID.test(formId)) {
    fail('formId', `expected 1 to 64 letters, digits, - or _, got ${JSON.stringify(formId) ?? 'nothing'}`);
  }
  if (typeof version !== 'string' || version.trim() === '') fail('version', `expected a non-empty string, got ${describeType(version)}`);

  if (typeof fieldMapping !== 'object' || fieldMapping === null || Array.isArray(fieldMapping)) {
    fail('fieldMapping', `expected an object of form field -> lead field, got ${describeType(fieldMapping)}`);
  }
  const mapping: Record<string, IntakeFieldName> = {};
  const filled = new Map<IntakeFieldName, string>();
  for (const [name, field] of Object.entries(fieldMapping as Record<string, unknown>)) {
    const path = `fieldMapping.${name}`;
    if (isForbiddenKey(name) || !FORM_FIELD_NAME.test(name)) fail(path, 'form field names are 1 to 64 letters, digits, _ . : or -, starting with a letter or _');
    if (!isIntakeFieldName(field)) fail(path, `${JSON.stringify(field) ?? 'nothing'} is not a lead field; expected one of ${INTAKE_FIELD_NAMES.join(', ')}`);
    const previous = filled.get(field);
    if (previous !== undefined) fail(path, `${field} is already filled by form field ${previous}`);
    filled.set(field, name);
    mapping[name] = field;
  }
  if (!filled.has('email')) fail('fieldMapping', 'no form field fills email');

  if (!Array.isArray(allowedOrigins) || allowedOrigins.length === 0) {
    fail('allowedOrigins', `expected a non-empty list of origins (https://www.example.com) or "*", got ${describeType(allowedOrigins)}`);
  }
  const origins = allowedOrigins.map((origin: unknown, index) => {
    if (origin === '*') return '*';
    const normalised = typeof origin === 'string' ? normaliseOrigin(origin) : undefined;
    if (normalised === undefined || !/^https?:\/\/[^/]+\/?$/i.test((origin as string).trim())) {
      fail(`allowedOrigins[${index}]`, `${JSON.stringify(origin) ?? 'nothing'} is not an origin such as https://www.example.com (scheme and host, no path)`);
    }
    return normalised;
  });

  const redirectUrl = optionalText(form, 'redirectUrl', 2048);
  if (redirectUrl !== undefined && webUrl(redirectUrl) === undefined) fail('redirectUrl', `${JSON.stringify(redirectUrl)} is not an http or https URL`);
  const honeypotField = optionalText(form, 'honeypotField', 64);
  if (honeypotField !== undefined) {
    if (!FORM_FIELD_NAME.test(honeypotField) || isForbiddenKey(honeypotField)) fail('honeypotField', 'form field names are 1 to 64 letters, digits, _ . : or -');
    if (Object.hasOwn(mapping, honeypotField)) fail('honeypotField', `${honeypotField} is also a mapped field; the honeypot must be a field people never fill`);
  }
  const source = optionalText(form, 'source', 100);
  const campaign = optionalText(form, 'campaign', 200);
  return {
    formId: formId as string,
    version: (version as string).trim(),
    fieldMapping: mapping,
    ...(redirectUrl === undefined ? {} : { redirectUrl }),
    allowedOrigins: origins,
    ...(honeypotField === undefined ? {} : { honeypotField }),
    ...(source === undefined ? {} : { source }),
    ...(campaign === undefined ? {} : { campaign }),
  };
}

/**
 * Turns a form post (`application/x-www-form-urlencoded`, parsed) into lead input for
 * `validateLeadInput`: mapped fields renamed, `utm_*`/`referrer`/`landing_page` hidden inputs taken as
 * attribution, the form's source and campaign as defaults, everything else ignored. A filled honeypot
 * means a bot: drop it silently.
 */
export function mapFormSubmission(body: Readonly<Record<string, unknown>>, form: FormDefinition): FormSubmission {
  const has = (name: string): boolean => Object.hasOwn(body, name);
  if (form.honeypotField !== undefined && has(form.honeypotField)) {
    const trap = body[form.honeypotField];
    if (!(typeof trap === 'string' && trap.trim() === '') && trap !== undefined && trap !== null) return { kind: 'bot' };
  }
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(form.fieldMapping)) {
    if (has(name)) input[field] = body[name];
  }
  for (const [parameter, field] of Object.entries(ATTRIBUTION_PARAMETERS)) {
    if (input[field] === undefined && has(parameter)) input[field] = body[parameter];
  }
  const blank = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value.trim() === '');
  if (form.source !== undefined && blank(input['source'])) input['source'] = form.source;
  if (form.campaign !== undefined && blank(input['campaign'])) input['campaign'] = form.campaign;
  return { kind: 'lead', input };
}

/** True when a post from `origin` (the Origin header; absent or `null` from some browsers) may reach the form. */
export function isOriginAllowed(origin: string | undefined, form: FormDefinition): boolean {
  if (form.allowedOrigins.includes('*')) return true;
  if (origin === undefined || origin === 'null') return false;
  const normalised = normaliseOrigin(origin);
  return normalised !== undefined && form.allowedOrigins.includes(normalised);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] as string);
}

const INPUT_TYPES: Partial<Record<IntakeFieldName, string>> = { email: 'email', phone: 'tel', referrer: 'url', landingPage: 'url' };
const HIDDEN_FIELDS: ReadonlySet<IntakeFieldName> = new Set(['utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent', 'referrer', 'landingPage', 'source', 'campaign']);

const AUTOCOMPLETE: Partial<Record<IntakeFieldName, string>> = {
  email: 'email',
  firstName: 'given-name',
  lastName: 'family-name',
  company: 'organization',
  title: 'organization-title',
  phone: 'tel',
  country: 'country-name',
};

/**
 * A plain HTML form posting to `actionUrl`, ready to paste into a page: one labelled input per mapped
 * field (attribution, source and campaign fields hidden), the honeypot moved off-screen with CSS and
 * out of the tab order. Every value is HTML-escaped.
 */
export function renderFormSnippet(form: FormDefinition, actionUrl: string): string {
  const id = (name: string): string => escapeHtml(`ls-${form.formId}-${name}`);
  const lines = [
    `<form class="leadstream-form" method="post" action="${escapeHtml(actionUrl)}" accept-charset="utf-8" data-form-id="${escapeHtml(form.formId)}">`,
  ];
  for (const [name, field] of Object.entries(form.fieldMapping)) {
    if (HIDDEN_FIELDS.has(field)) {
      lines.push(`  <input type="hidden" name="${escapeHtml(name)}" value="">`);
      continue;
    }
    const type = INPUT_TYPES[field] ?? 'text';
    const required = field === 'email' ? ' required' : '';
    const autocomplete = AUTOCOMPLETE[field] === undefined ? '' : ` autocomplete="${AUTOCOMPLETE[field]}"`;
    lines.push(
      `  <p><label for="${id(name)}">${escapeHtml(FIELD_LABELS[field])}</label>`,
      `    <input id="${id(name)}" type="${type}" name="${escapeHtml(name)}"${autocomplete}${required}></p>`,
    );
  }
  if (form.honeypotField !== undefined) {
    lines.push(
      '  <div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true">',
      `    <label>Leave this field empty <input type="text" name="${escapeHtml(form.honeypotField)}" tabindex="-1" autocomplete="off" value=""></label>`,
      '  </div>',
    );
  }
  lines.push('  <p><button type="submit">Send</button></p>', '</form>');
  return `${lines.join('\n')}\n`;
}
