import { ATTRIBUTION_FIELDS, type Attribution, type LeadFields } from '@leadstream/contracts';

export type { Attribution };

/** A text field of a submitted lead (attribution and externalIds are nested objects on LeadFields; attribution's fields are listed apart). */
export type LeadFieldName = Exclude<keyof LeadFields, 'attribution' | 'externalIds'>;

/** Every field of a submitted lead, in the order they are reported. */
export const LEAD_FIELD_NAMES: readonly LeadFieldName[] = [
  'email',
  'firstName',
  'lastName',
  'company',
  'title',
  'phone',
  'country',
  'source',
  'campaign',
  'website',
];

export type AttributionFieldName = keyof Attribution;

export const ATTRIBUTION_FIELD_NAMES: readonly AttributionFieldName[] = ATTRIBUTION_FIELDS;

/** A field intake accepts: a lead field or an attribution field. */
export type IntakeFieldName = LeadFieldName | AttributionFieldName;

export const INTAKE_FIELD_NAMES: readonly IntakeFieldName[] = [...LEAD_FIELD_NAMES, ...ATTRIBUTION_FIELD_NAMES];

const INTAKE_FIELDS: ReadonlySet<string> = new Set(INTAKE_FIELD_NAMES);

export function isIntakeFieldName(value: unknown): value is IntakeFieldName {
  return typeof value === 'string' && INTAKE_FIELDS.has(value);
}

export function isLeadFieldName(value: unknown): value is LeadFieldName {
  return typeof value === 'string' && (LEAD_FIELD_NAMES as readonly string[]).includes(value);
}

/** Keys that reach Object.prototype when assigned naively; never accepted as field names. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** Human labels, used in the HTML snippet of a form. */
export const FIELD_LABELS: Readonly<Record<IntakeFieldName, string>> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  company: 'Company',
  title: 'Job title',
  phone: 'Phone',
  country: 'Country',
  source: 'Source',
  campaign: 'Campaign',
  website: 'Website',
  utmSource: 'UTM source',
  utmMedium: 'UTM medium',
  utmCampaign: 'UTM campaign',
  utmTerm: 'UTM term',
  utmContent: 'UTM content',
  referrer: 'Referrer',
  landingPage: 'Landing page',
};

/** `typeof`, with null and arrays told apart, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A field name from outside, cut to a length fit for an error message. */
export function shownKey(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}...` : key;
}
