import { DomainError, type EnrichedLead } from '@leadstream/contracts';
import { MatchRulesError, describeValue, isRecord } from './match-rules-error';

/** How the surviving value of a field is chosen among the members of a cluster. */
export type SurvivorStrategy = 'most-recent' | 'oldest' | 'longest' | 'most-trusted-source';
export const SURVIVOR_STRATEGIES: readonly SurvivorStrategy[] = ['most-recent', 'oldest', 'longest', 'most-trusted-source'];

/**
 * The fields a strategy is set for. A field carries the fields derived from it (its group): the email
 * brings emailDomain, isFreeEmail and isDisposableEmail from the same lead; the title its seniority and
 * department; the phone phoneAsTyped and phoneUnparseable; the country its territory; the company its
 * companyKey; firmographics the enrichment report. companyDomain is a field of its own (a merged lead may
 * keep a personal address and still know its company's domain).
 */
export type SurvivorField =
  | 'email'
  | 'firstName'
  | 'lastName'
  | 'honorific'
  | 'nameSuffix'
  | 'company'
  | 'companyDomain'
  | 'firmographics'
  | 'title'
  | 'phone'
  | 'country'
  | 'source'
  | 'campaign'
  | 'attribution';

type LeadKey = keyof EnrichedLead;

const GROUPS: Readonly<Record<SurvivorField, readonly LeadKey[]>> = {
  email: ['email', 'emailDomain', 'isFreeEmail', 'isDisposableEmail'],
  firstName: ['firstName'],
  lastName: ['lastName'],
  honorific: ['honorific'],
  nameSuffix: ['nameSuffix'],
  company: ['company', 'companyKey'],
  companyDomain: ['companyDomain'],
  firmographics: ['firmographics', 'enrichment'],
  title: ['title', 'seniority', 'department'],
  phone: ['phone', 'phoneAsTyped', 'phoneUnparseable'],
  country: ['country', 'territory'],
  source: ['source'],
  campaign: ['campaign'],
  attribution: ['attribution'],
};
export const SURVIVOR_FIELDS = Object.keys(GROUPS) as SurvivorField[];

export interface SurvivorshipRules {
  readonly fields: Readonly<Record<SurvivorField, SurvivorStrategy>>;
  /** Lead sources from most to least trusted (compared lower-case); a source not listed is least trusted. */
  readonly sourceTrust: readonly string[];
}

export const DEFAULT_SURVIVORSHIP_RULES: SurvivorshipRules = {
  fields: {
    email: 'oldest',
    firstName: 'longest',
    lastName: 'longest',
    honorific: 'most-recent',
    nameSuffix: 'most-recent',
    company: 'most-recent',
    companyDomain: 'most-recent',
    firmographics: 'most-recent',
    title: 'most-recent',
    phone: 'most-recent',
    country: 'most-recent',
    source: 'oldest',
    campaign: 'oldest',
    attribution: 'oldest',
  },
  sourceTrust: ['crm', 'salesforce', 'hubspot', 'api', 'sales', 'form', 'website', 'webinar', 'event', 'partner', 'csv', 'import', 'purchased-list'],
};

export interface SurvivorInput {
  readonly leadId: string;
  readonly lead: EnrichedLead;
  /** When the member's lead arrived (ISO 8601); decides most-recent and oldest. */
  readonly receivedAt: string;
}

export interface SurvivingRecord {
  readonly lead: EnrichedLead;
  /** For every field the surviving lead has: the leadId of the member it came from. */
  readonly provenance: Readonly<Record<string, string>>;
}

/** Thrown only when there is nothing to survive (no members): a broken invariant of the caller. */
export class EmptyClusterError extends DomainError {
  readonly code = 'DEDUPE.EMPTY_CLUSTER' as const;

  constructor() {
    super('a cluster to survive needs at least one member');
  }
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (isRecord(value)) return Object.keys(value).length > 0;
  return true;
}

function byLeadId(a: SurvivorInput, b: SurvivorInput): number {
  return a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0;
}

function instant(member: SurvivorInput): number {
  const time = Date.parse(member.receivedAt);
  return Number.isNaN(time) ? 0 : time;
}

function ordered(members: readonly SurvivorInput[], strategy: SurvivorStrategy, driver: LeadKey, trust: readonly string[]): SurvivorInput[] {
  const rankOf = (member: SurvivorInput): number => {
    const source = typeof member.lead.source === 'string' ? member.lead.source.trim().toLowerCase() : '';
    const rank = trust.indexOf(source);
    return rank === -1 ? trust.length : rank;
  };
  const lengthOf = (member: SurvivorInput): number => {
    const value = member.lead[driver];
    return typeof value === 'string' ? value.trim().length : 0;
  };
  const recentFirst = (a: SurvivorInput, b: SurvivorInput): number => instant(b) - instant(a) || byLeadId(a, b);
  const compare: Record<SurvivorStrategy, (a: SurvivorInput, b: SurvivorInput) => number> = {
    'most-recent': recentFirst,
    oldest: (a, b) => instant(a) - instant(b) || byLeadId(a, b),
    longest: (a, b) => lengthOf(b) - lengthOf(a) || byLeadId(a, b),
    'most-trusted-source': (a, b) => rankOf(a) - rankOf(b) || recentFirst(a, b),
  };
  return [...members].sort(compare[strategy]);
}

/**
 * The merged record of a cluster: for each field, the value of the member the field's strategy prefers
 * among those that have one (a blank never wins over a value); the fields of its group come from the same
 * member. Deterministic: ties go to the smaller leadId. Throws EmptyClusterError for an empty cluster.
 */
export function surviveRecord(members: readonly SurvivorInput[], rules: SurvivorshipRules = DEFAULT_SURVIVORSHIP_RULES): SurvivingRecord {
  if (members.length === 0) throw new EmptyClusterError();
  const lead: Record<string, unknown> = {};
  const provenance: Record<string, string> = {};
  for (const field of SURVIVOR_FIELDS) {
    const group = GROUPS[field];
    const driver = group[0];
    const candidates = ordered(members, rules.fields[field] ?? DEFAULT_SURVIVORSHIP_RULES.fields[field], driver, rules.sourceTrust);
    // emailDomain, isFreeEmail and isDisposableEmail describe an address: without one they must stay absent
    // (the lead.enriched contract), so only a member with an email gives the email group.
    const chosen =
      candidates.find((member) => isPresent(member.lead[driver])) ?? (field === 'email' ? undefined : candidates.find((member) => group.some((key) => isPresent(member.lead[key]))));
    if (chosen === undefined) continue;
    for (const key of group) {
      const value = chosen.lead[key];
      if (value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
      lead[key] = value;
      provenance[key] = chosen.leadId;
    }
  }
  // Fields no group names (added to the contract later, e.g. externalIds) are merged so nothing is lost:
  // objects of string values are united (most recent wins a key), other values come from the most recent member.
  const recentFirst = ordered(members, 'most-recent', 'email', []);
  const grouped = new Set<string>(Object.values(GROUPS).flat());
  for (const member of [...recentFirst].reverse()) {
    for (const [key, value] of Object.entries(member.lead)) {
      if (grouped.has(key) || !isPresent(value)) continue;
      if (isRecord(value) && isRecord(lead[key])) lead[key] = { ...(lead[key] as object), ...value };
      else lead[key] = value;
      provenance[key] = member.leadId;
    }
  }
  return { lead: lead as unknown as EnrichedLead, provenance };
}

/** Validates survivorship rules read from configuration; missing settings take the defaults. */
export function parseSurvivorshipRules(raw: unknown, path = 'survivorship'): SurvivorshipRules {
  if (raw === undefined) return DEFAULT_SURVIVORSHIP_RULES;
  if (!isRecord(raw)) throw new MatchRulesError(path, `${path} must be an object, got ${describeValue(raw)}`);
  const fields: Record<string, SurvivorStrategy> = { ...DEFAULT_SURVIVORSHIP_RULES.fields };
  const rawFields = raw['fields'];
  if (rawFields !== undefined) {
    if (!isRecord(rawFields)) throw new MatchRulesError(`${path}.fields`, `${path}.fields must be an object, got ${describeValue(rawFields)}`);
    for (const [field, strategy] of Object.entries(rawFields)) {
      const at = `${path}.fields.${field}`;
      if (!(SURVIVOR_FIELDS as string[]).includes(field)) throw new MatchRulesError(at, `${at} is not a field survivorship knows (${SURVIVOR_FIELDS.join(', ')})`);
      if (!(SURVIVOR_STRATEGIES as unknown[]).includes(strategy)) {
        throw new MatchRulesError(at, `${at} must be one of ${SURVIVOR_STRATEGIES.join(', ')}, got ${describeValue(strategy)}`);
      }
      fields[field] = strategy as SurvivorStrategy;
    }
  }
  let sourceTrust = DEFAULT_SURVIVORSHIP_RULES.sourceTrust;
  const rawTrust = raw['sourceTrust'];
  if (rawTrust !== undefined) {
    const at = `${path}.sourceTrust`;
    if (!Array.isArray(rawTrust)) throw new MatchRulesError(at, `${at} must be a list of source names, got ${describeValue(rawTrust)}`);
    sourceTrust = rawTrust.map((source: unknown, index) => {
      if (typeof source !== 'string' || source.trim() === '') throw new MatchRulesError(`${at}.${index}`, `${at}.${index} must be a source name, got ${describeValue(source)}`);
      return source.trim().toLowerCase();
    });
  }
  return { fields: fields as Record<SurvivorField, SurvivorStrategy>, sourceTrust };
}
