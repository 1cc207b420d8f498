import type { FieldError } from './header-mapping';
import { InvalidFormDefinitionError } from './intake-error';
import {
  FIELD_LABELS,
  INTAKE_FIELD_NAMES,
  describeType,
  isForbiddenKey,
  isIntakeFieldName,
  type AttributionFieldName,
  type IntakeFieldName,
} from './lead-field-names';

/** One input of a form, in the order the snippet shows it. */
export interface FormField {
  /** The `name` of the HTML input. */
  readonly name: string;
  /** The lead field it fills. */
  readonly field: IntakeFieldName;
  /** What a person reads beside the input (and in error pages); default the field's usual name. */
  readonly label: string;
  /** Marked in the snippet and refused when left empty; default false, except for `email` (true unless the definition says false). */
  readonly required: boolean;
}

/** A consent checkbox: its text travels on the lead's event with whether it was ticked. */
export interface FormConsent {
  /** The `name` of the checkbox; default `consent`. */
  readonly name: string;
  readonly text: string;
  /** Refuse the post when the box is not ticked; default true. */
  readonly required: boolean;
}

/** A web-to-lead form: configuration with a version, loaded and checked by `validateFormDefinition`. */
export interface FormDefinition {
  readonly formId: string;
  readonly version: string;
  /** The inputs, in order. At least one fills `email` or `phone` (a callback form may ask for a phone only); no two fill one field. */
  readonly fields: readonly FormField[];
  readonly consent?: FormConsent;
  /** Text of the submit button; default `Send`. */
  readonly submitLabel?: string;
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

/** What the visitor said about consent, with the text they were shown. */
export interface ConsentAnswer {
  readonly text: string;
  readonly given: boolean;
}

export type FormSubmission =
  | { readonly kind: 'bot' }
  | {
      readonly kind: 'lead';
      /** Lead input for `validateLeadInput`. */
      readonly input: Record<string, unknown>;
      /** Present when the form asks for consent. */
      readonly consent?: ConsentAnswer;
      /** What the form itself refuses (a required field left empty, consent not given), by field; a post that names no one is refused by `validateLeadInput`. */
      readonly problems: readonly FieldError[];
      /** False when the post carries its own `referrer` input (the snippet's, filled by its script or left empty). */
      readonly refererIsReferrer: boolean;
    };

const FORM_KEYS: ReadonlySet<string> = new Set([
  'formId',
  'version',
  'fields',
  'fieldMapping',
  'consent',
  'submitLabel',
  'redirectUrl',
  'allowedOrigins',
  'honeypotField',
  'source',
  'campaign',
]);
const FIELD_KEYS: ReadonlySet<string> = new Set(['name', 'field', 'label', 'required']);
const CONSENT_KEYS: ReadonlySet<string> = new Set(['name', 'text', 'required']);
const FORM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const FORM_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const MAX_LABEL_LENGTH = 200;
const MAX_CONSENT_TEXT_LENGTH = 1000;

// Tracking scripts (and the snippet's own script) add these hidden inputs; they fill attribution without being mapped.
export const ATTRIBUTION_PARAMETERS: Readonly<Record<string, AttributionFieldName>> = {
  utm_source: 'utmSource',
  utm_medium: 'utmMedium',
  utm_campaign: 'utmCampaign',
  utm_term: 'utmTerm',
  utm_content: 'utmContent',
  referrer: 'referrer',
  landing_page: 'landingPage',
};

/** Fields a page fills, never a person: rendered as hidden inputs. */
export const HIDDEN_FIELDS: ReadonlySet<IntakeFieldName> = new Set(['utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent', 'referrer', 'landingPage', 'source', 'campaign']);

function fail(path: string, message: string): never {
  throw new InvalidFormDefinitionError(path, message);
}

function optionalText(raw: Record<string, unknown>, key: string, maxLength: number, path = key): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    fail(path, `expected a non-empty string of at most ${maxLength} characters, got ${typeof value === 'string' ? `${value.trim() === '' ? 'an empty string' : `${value.length} characters`}` : describeType(value)}`);
  }
  return value.trim();
}

function optionalFlag(raw: Record<string, unknown>, key: string, path: string): boolean | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${describeType(value)}`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(raw: Record<string, unknown>, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) fail(path === '' ? key : `${path}.${key}`, `unknown setting; expected one of ${[...allowed].join(', ')}`);
  }
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

function checkInputName(name: unknown, path: string): string {
  if (typeof name !== 'string' || isForbiddenKey(name) || !FORM_FIELD_NAME.test(name)) {
    fail(path, `form field names are 1 to 64 letters, digits, _ . : or -, starting with a letter or _; got ${JSON.stringify(name) ?? 'nothing'}`);
  }
  return name;
}

/** The `fields` list, or the older `fieldMapping` object (input name -> lead field, in the order written). */
function readFields(form: Record<string, unknown>): FormField[] {
  const { fields, fieldMapping } = form;
  if (fields !== undefined && fieldMapping !== undefined) fail('fields', 'give either fields (a list) or fieldMapping (the older object form), not both');
  let entries: { raw: Record<string, unknown>; path: string }[];
  if (fields !== undefined) {
    if (!Array.isArray(fields) || fields.length === 0) {
      fail('fields', `expected a non-empty list of { "name": "<input name>", "field": "<lead field>", "label"?, "required"? }, got ${describeType(fields)}`);
    }
    entries = fields.map((entry: unknown, index) => {
      const path = `fields[${index}]`;
      if (!isPlainObject(entry)) fail(path, `expected an object { "name", "field", "label"?, "required"? }, got ${describeType(entry)}`);
      rejectUnknownKeys(entry, FIELD_KEYS, path);
      return { raw: entry, path };
    });
  } else {
    if (!isPlainObject(fieldMapping)) fail('fields', `expected a list of fields (or the older fieldMapping object), got ${describeType(fieldMapping)}`);
    entries = Object.entries(fieldMapping).map(([name, field]) => ({ raw: { name, field }, path: `fieldMapping.${name}` }));
  }
  const seenNames = new Set<string>();
  const filled = new Map<IntakeFieldName, string>();
  const result = entries.map(({ raw, path }) => {
    const name = checkInputName(raw['name'], fields === undefined ? path : `${path}.name`);
    const field = raw['field'];
    const fieldPath = fields === undefined ? path : `${path}.field`;
    // A visitor does not know the lead's ids in a CRM: they come through the API and CSV imports only.
    if (typeof field === 'string' && (field === 'externalIds' || field.startsWith('externalIds.'))) {
      fail(fieldPath, `${JSON.stringify(field)} cannot be filled by a web form: external ids come through the API and CSV imports`);
    }
    if (!isIntakeFieldName(field)) fail(fieldPath, `${JSON.stringify(field) ?? 'nothing'} is not a lead field; expected one of ${INTAKE_FIELD_NAMES.join(', ')}`);
    if (seenNames.has(name)) fail(`${path}.name`, `form field ${name} is listed twice`);
    seenNames.add(name);
    const previous = filled.get(field);
    if (previous !== undefined) fail(fieldPath, `${field} is already filled by form field ${previous}`);
    filled.set(field, name);
    const carried = ATTRIBUTION_PARAMETERS[name];
    if (carried !== undefined && carried !== field) fail(fieldPath, `${name} is the hidden input that carries ${carried}; map it to ${carried} or name the input otherwise`);
    const label = optionalText(raw, 'label', MAX_LABEL_LENGTH, `${path}.label`) ?? FIELD_LABELS[field];
    const required = optionalFlag(raw, 'required', `${path}.required`);
    if (HIDDEN_FIELDS.has(field) && required === true) fail(`${path}.required`, `${field} is a hidden field the page fills, so a person cannot be required to fill it`);
    // An email input is required unless the definition says otherwise, as it was before a lead could come without one.
    return { name, field, label, required: field === 'email' ? required !== false : required === true };
  });
  // Every lead must name someone; a visitor can do that by an email or a phone (or a name with a company,
  // but a form of those alone could not reach the visitor).
  if (!filled.has('email') && !filled.has('phone')) {
    fail(fields === undefined ? 'fieldMapping' : 'fields', 'no form field fills email or phone: a form needs one of them to reach whoever sends it');
  }
  return result;
}

function readConsent(form: Record<string, unknown>, fields: readonly FormField[], honeypotField: string | undefined): FormConsent | undefined {
  const consent = form['consent'];
  if (consent === undefined) return undefined;
  if (!isPlainObject(consent)) fail('consent', `expected { "text": "<what the visitor agrees to>", "name"?, "required"? }, got ${describeType(consent)}`);
  rejectUnknownKeys(consent, CONSENT_KEYS, 'consent');
  const text = optionalText(consent, 'text', MAX_CONSENT_TEXT_LENGTH, 'consent.text');
  if (text === undefined) fail('consent.text', 'the consent text is required: it is what the visitor agrees to');
  const name = consent['name'] === undefined ? 'consent' : checkInputName(consent['name'], 'consent.name');
  if (fields.some((field) => field.name === name)) fail('consent.name', `${name} is also a form field; name the checkbox otherwise`);
  if (name === honeypotField) fail('consent.name', `${name} is the honeypot field; name the checkbox otherwise`);
  if (ATTRIBUTION_PARAMETERS[name] !== undefined) fail('consent.name', `${name} is the hidden input that carries ${ATTRIBUTION_PARAMETERS[name]}; name the checkbox otherwise`);
  return { name, text, required: optionalFlag(consent, 'required', 'consent.required') ?? true };
}

/**
 * Checks a form definition loaded from configuration. Throws InvalidFormDefinitionError
 * ('INTAKE.INVALID_FORM') naming the offending entry. The older `fieldMapping` object is read as a
 * list of fields in the order it is written; the result always carries `fields`.
 */
export function validateFormDefinition(raw: unknown): FormDefinition {
  if (!isPlainObject(raw)) fail('', `expected an object, got ${describeType(raw)}`);
  const form = raw;
  rejectUnknownKeys(form, FORM_KEYS, '');
  const { formId, version, allowedOrigins } = form;
  if (typeof formId !== 'string' || !FORM_ID.test(formId)) {
    fail('formId', `expected 1 to 64 letters, digits, - or _, got ${JSON.stringify(formId) ?? 'nothing'}`);
  }
  if (typeof version !== 'string' || version.trim() === '') fail('version', `expected a non-empty string, got ${describeType(version)}`);

  const fields = readFields(form);

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
    if (fields.some((field) => field.name === honeypotField)) fail('honeypotField', `${honeypotField} is also a mapped field; the honeypot must be a field people never fill`);
    if (ATTRIBUTION_PARAMETERS[honeypotField] !== undefined) fail('honeypotField', `${honeypotField} is the hidden input that carries ${ATTRIBUTION_PARAMETERS[honeypotField]}; pick another name`);
  }
  const consent = readConsent(form, fields, honeypotField);
  const submitLabel = optionalText(form, 'submitLabel', 100);
  const source = optionalText(form, 'source', 100);
  const campaign = optionalText(form, 'campaign', 200);
  return {
    formId: formId as string,
    version: (version as string).trim(),
    fields,
    ...(consent === undefined ? {} : { consent }),
    ...(submitLabel === undefined ? {} : { submitLabel }),
    ...(redirectUrl === undefined ? {} : { redirectUrl }),
    allowedOrigins: origins,
    ...(honeypotField === undefined ? {} : { honeypotField }),
    ...(source === undefined ? {} : { source }),
    ...(campaign === undefined ? {} : { campaign }),
  };
}

export interface FormPostContext {
  /** The request's Referer header: the page the form was on, taken as landing page when the post names none. */
  readonly refererHeader?: string;
  /** Longest landing page kept from the Referer header (a longer header is dropped, not refused); default 2048. */
  readonly maxLandingPageLength?: number;
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Turns a form post (`application/x-www-form-urlencoded`, parsed) into lead input for
 * `validateLeadInput`: mapped fields renamed, `utm_*`/`referrer`/`landing_page` hidden inputs taken as
 * attribution, the Referer header as landing page when the post carries none (a page without script),
 * the form's source and campaign as defaults, everything else ignored. Required fields left empty and
 * consent not given are reported in `problems`. A filled honeypot means a bot: drop it silently.
 */
export function mapFormSubmission(body: Readonly<Record<string, unknown>>, form: FormDefinition, context: FormPostContext = {}): FormSubmission {
  const has = (name: string): boolean => Object.hasOwn(body, name);
  if (form.honeypotField !== undefined && has(form.honeypotField)) {
    const trap = body[form.honeypotField];
    if (!blank(trap)) return { kind: 'bot' };
  }
  const input: Record<string, unknown> = {};
  const problems: FieldError[] = [];
  for (const { name, field, required } of form.fields) {
    if (has(name)) input[field] = body[name];
    if (required && blank(input[field])) problems.push({ field, message: `${field} is required by this form` });
  }
  for (const [parameter, field] of Object.entries(ATTRIBUTION_PARAMETERS)) {
    if (blank(input[field]) && has(parameter)) input[field] = body[parameter];
  }
  const referer = context.refererHeader?.trim();
  if (blank(input['landingPage']) && referer !== undefined && webUrl(referer) !== undefined && referer.length <= (context.maxLandingPageLength ?? 2048)) {
    input['landingPage'] = referer;
  }
  if (form.source !== undefined && blank(input['source'])) input['source'] = form.source;
  if (form.campaign !== undefined && blank(input['campaign'])) input['campaign'] = form.campaign;
  const referrerInput = form.fields.find((field) => field.field === 'referrer')?.name ?? 'referrer';
  let consent: ConsentAnswer | undefined;
  if (form.consent !== undefined) {
    const answer = body[form.consent.name];
    consent = { text: form.consent.text, given: has(form.consent.name) && !blank(answer) };
    if (form.consent.required && !consent.given) problems.push({ field: 'consent', message: 'consent is required by this form: the box was not ticked' });
  }
  return { kind: 'lead', input, ...(consent === undefined ? {} : { consent }), problems, refererIsReferrer: !has(referrerInput) };
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


const INPUT_TYPES: Partial<Record<IntakeFieldName, string>> = { email: 'email', phone: 'tel' };

const AUTOCOMPLETE: Partial<Record<IntakeFieldName, string>> = {
  email: 'email',
  firstName: 'given-name',
  lastName: 'family-name',
  company: 'organization',
  title: 'organization-title',
  phone: 'tel',
  country: 'country-name',
  website: 'url',
};

const PARAMETER_OF: Readonly<Partial<Record<IntakeFieldName, string>>> = Object.fromEntries(
  Object.entries(ATTRIBUTION_PARAMETERS).map(([parameter, field]) => [field, parameter]),
);

// Fills the inputs marked data-leadstream-fill from the page: UTM parameters of its URL, the page
// itself (landing page) and document.referrer. Without script (or under a CSP that blocks inline
// script) they stay empty and the server takes the Referer header as landing page.
const FILL_SCRIPT = [
  '  <script>',
  '  (function (form) {',
  '    if (!form) return;',
  '    var query = new URLSearchParams(window.location.search);',
  "    var inputs = form.querySelectorAll('input[data-leadstream-fill]');",
  '    for (var i = 0; i < inputs.length; i++) {',
  "      var input = inputs[i], fill = input.getAttribute('data-leadstream-fill');",
  '      if (input.value) continue;',
  "      if (fill === 'landing_page') input.value = window.location.href.split('#')[0];",
  "      else if (fill === 'referrer') input.value = document.referrer;",
  "      else input.value = query.get(fill) || '';",
  '    }',
  "  })(document.currentScript && document.currentScript.closest('form'));",
  '  </script>',
];

export interface SnippetOptions {
  /** Fields the intake rules require: marked required even when the form does not say so. */
  readonly alsoRequired?: readonly IntakeFieldName[];
}

/**
 * A plain HTML form posting to `actionUrl`, ready to paste into a page: one labelled input per field
 * in the order of the definition (required ones marked), hidden inputs for attribution that a few
 * lines of script fill from the page (UTM parameters, landing page, referrer), the consent checkbox,
 * and the honeypot moved off-screen with CSS and out of the tab order. Every text is HTML-escaped.
 */
export function renderFormSnippet(form: FormDefinition, actionUrl: string, options: SnippetOptions = {}): string {
  const id = (name: string): string => escapeHtml(`ls-${form.formId}-${name}`);
  const alsoRequired = new Set(options.alsoRequired ?? []);
  const marker = '<span class="leadstream-required" aria-hidden="true"> *</span>';
  const lines = [
    `<form class="leadstream-form" method="post" action="${escapeHtml(actionUrl)}" accept-charset="utf-8" data-form-id="${escapeHtml(form.formId)}">`,
  ];
  const filled = new Set<IntakeFieldName>();
  for (const { name, field, label, required: configured } of form.fields) {
    filled.add(field);
    if (HIDDEN_FIELDS.has(field)) {
      const parameter = PARAMETER_OF[field];
      lines.push(`  <input type="hidden" name="${escapeHtml(name)}" value=""${parameter === undefined ? '' : ` data-leadstream-fill="${parameter}"`}>`);
      continue;
    }
    const required = configured || alsoRequired.has(field);
    const type = INPUT_TYPES[field] ?? 'text';
    const autocomplete = AUTOCOMPLETE[field] === undefined ? '' : ` autocomplete="${AUTOCOMPLETE[field]}"`;
    lines.push(
      `  <p><label for="${id(name)}">${escapeHtml(label)}${required ? marker : ''}</label>`,
      `    <input id="${id(name)}" type="${type}" name="${escapeHtml(name)}"${autocomplete}${required ? ' required' : ''}></p>`,
    );
  }
  for (const [parameter, field] of Object.entries(ATTRIBUTION_PARAMETERS)) {
    if (!filled.has(field)) lines.push(`  <input type="hidden" name="${parameter}" value="" data-leadstream-fill="${parameter}">`);
  }
  if (form.consent !== undefined) {
    const { name, text, required } = form.consent;
    lines.push(
      `  <p><label><input type="checkbox" name="${escapeHtml(name)}" value="yes"${required ? ' required' : ''}> ${escapeHtml(text)}${required ? marker : ''}</label></p>`,
    );
  }
  if (form.honeypotField !== undefined) {
    lines.push(
      '  <div style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden" aria-hidden="true">',
      `    <label>Leave this field empty <input type="text" name="${escapeHtml(form.honeypotField)}" tabindex="-1" autocomplete="off" value=""></label>`,
      '  </div>',
    );
  }
  lines.push(`  <p><button type="submit">${escapeHtml(form.submitLabel ?? 'Send')}</button></p>`, ...FILL_SCRIPT, '</form>');
  return `${lines.join('\n')}\n`;
}
