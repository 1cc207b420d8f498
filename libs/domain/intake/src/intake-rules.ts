import { InvalidIntakeRulesError } from './intake-error';
import {
  INTAKE_FIELD_NAMES,
  LEAD_FIELD_NAMES,
  describeType,
  isForbiddenKey,
  isIntakeFieldName,
  isLeadFieldName,
  type IntakeFieldName,
  type LeadFieldName,
} from './lead-field-names';

/** What to do with a phone number that cannot be read as one. */
export type PhonePolicy = 'reject-invalid' | 'keep-raw' | 'ignore';
export const PHONE_POLICIES: readonly PhonePolicy[] = ['reject-invalid', 'keep-raw', 'ignore'];

/** How submitted leads are validated: configuration with a version, never code. */
export interface IntakeRules {
  readonly version: string;
  /**
   * Fields a lead must have beyond naming someone (which every lead must: an email, a phone, an external
   * id, or a name with a company; contracts' `namesSomeone`). Empty by default; list `email` to refuse
   * leads without one.
   */
  readonly required: readonly LeadFieldName[];
  readonly rejectDisposableEmail: boolean;
  /** Domains rejected in addition to the built-in list when `rejectDisposableEmail` is on. */
  readonly disposableDomains?: readonly string[];
  /** `reject-invalid`: a number that cannot be read is an error; `keep-raw`: kept as typed; `ignore`: dropped. */
  readonly phone: PhonePolicy;
  /** Longest value per field, in characters after trimming. */
  readonly maxLength: Readonly<Record<IntakeFieldName, number>>;
}

export const DEFAULT_MAX_LENGTH: Readonly<Record<IntakeFieldName, number>> = {
  email: 254,
  firstName: 100,
  lastName: 100,
  company: 200,
  title: 200,
  phone: 40,
  country: 60,
  source: 100,
  campaign: 200,
  website: 2048,
  utmSource: 200,
  utmMedium: 200,
  utmCampaign: 200,
  utmTerm: 200,
  utmContent: 200,
  referrer: 2048,
  landingPage: 2048,
};

export const DEFAULT_INTAKE_RULES: IntakeRules = {
  version: 'default-2',
  required: [],
  rejectDisposableEmail: false,
  phone: 'keep-raw',
  maxLength: DEFAULT_MAX_LENGTH,
};

/**
 * The longest value the event contracts carry per field (lead.received: 1,000 characters of text,
 * 2,048 for attribution; an address is at most 254 by RFC 5321). A longer configured limit would let
 * through leads the publisher then refuses.
 */
export const CONTRACT_MAX_LENGTH: Readonly<Record<IntakeFieldName, number>> = {
  email: 254,
  firstName: 1000,
  lastName: 1000,
  company: 1000,
  title: 1000,
  phone: 1000,
  country: 1000,
  source: 1000,
  campaign: 1000,
  website: 2048,
  utmSource: 2048,
  utmMedium: 2048,
  utmCampaign: 2048,
  utmTerm: 2048,
  utmContent: 2048,
  referrer: 2048,
  landingPage: 2048,
};

const RULE_KEYS: ReadonlySet<string> = new Set(['version', 'required', 'rejectDisposableEmail', 'disposableDomains', 'phone', 'maxLength']);
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks intake rules loaded from configuration and fills `maxLength` entries it leaves out with the
 * defaults. Throws InvalidIntakeRulesError ('INTAKE.INVALID_RULES') naming the offending entry.
 */
export function validateIntakeRules(raw: unknown): IntakeRules {
  if (!isRecord(raw)) throw new InvalidIntakeRulesError('', `expected an object, got ${describeType(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!RULE_KEYS.has(key)) throw new InvalidIntakeRulesError(key, `unknown setting; expected one of ${[...RULE_KEYS].join(', ')}`);
  }
  const { version, required, rejectDisposableEmail, disposableDomains, phone, maxLength } = raw;
  if (typeof version !== 'string' || version.trim() === '') {
    throw new InvalidIntakeRulesError('version', `expected a non-empty string, got ${describeType(version)}`);
  }
  if (!Array.isArray(required)) throw new InvalidIntakeRulesError('required', `expected a list of lead fields, got ${describeType(required)}`);
  required.forEach((field: unknown, index) => {
    if (!isLeadFieldName(field)) {
      throw new InvalidIntakeRulesError(`required[${index}]`, `${JSON.stringify(field)} is not a lead field; expected one of ${LEAD_FIELD_NAMES.join(', ')}`);
    }
  });
  if (typeof rejectDisposableEmail !== 'boolean') {
    throw new InvalidIntakeRulesError('rejectDisposableEmail', `expected true or false, got ${describeType(rejectDisposableEmail)}`);
  }
  let domains: string[] | undefined;
  if (disposableDomains !== undefined) {
    if (!Array.isArray(disposableDomains)) {
      throw new InvalidIntakeRulesError('disposableDomains', `expected a list of domains, got ${describeType(disposableDomains)}`);
    }
    domains = disposableDomains.map((domain: unknown, index) => {
      const normalised = typeof domain === 'string' ? domain.trim().toLowerCase() : '';
      if (!DOMAIN.test(normalised)) {
        throw new InvalidIntakeRulesError(`disposableDomains[${index}]`, `${JSON.stringify(domain)} is not a domain name`);
      }
      return normalised;
    });
  }
  if (typeof phone !== 'string' || !(PHONE_POLICIES as readonly string[]).includes(phone)) {
    throw new InvalidIntakeRulesError('phone', `expected one of ${PHONE_POLICIES.join(', ')}, got ${JSON.stringify(phone) ?? 'nothing'}`);
  }
  const lengths: Record<IntakeFieldName, number> = { ...DEFAULT_MAX_LENGTH };
  if (maxLength !== undefined) {
    if (!isRecord(maxLength)) throw new InvalidIntakeRulesError('maxLength', `expected an object of field -> length, got ${describeType(maxLength)}`);
    for (const [field, limit] of Object.entries(maxLength)) {
      if (isForbiddenKey(field) || !isIntakeFieldName(field)) {
        throw new InvalidIntakeRulesError(`maxLength.${field}`, `unknown field; expected one of ${INTAKE_FIELD_NAMES.join(', ')}`);
      }
      if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
        throw new InvalidIntakeRulesError(`maxLength.${field}`, `expected a positive integer, got ${JSON.stringify(limit) ?? describeType(limit)}`);
      }
      if (limit > CONTRACT_MAX_LENGTH[field]) {
        throw new InvalidIntakeRulesError(`maxLength.${field}`, `at most ${CONTRACT_MAX_LENGTH[field]} (what the lead events carry), got ${limit}`);
      }
      lengths[field] = limit;
    }
  }
  return {
    version,
    required: [...(required as LeadFieldName[])],
    rejectDisposableEmail,
    ...(domains === undefined ? {} : { disposableDomains: domains }),
    phone: phone as PhonePolicy,
    maxLength: lengths,
  };
}
