/**
 * Lead fields as submitted at the edge (the ingestion DTO maps to this). Every field is optional, but a
 * lead must name someone (`namesSomeone`): an email, a phone, an external id, or a name with a company.
 */
export interface LeadFields {
  readonly email?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly company?: string;
  readonly title?: string;
  readonly phone?: string;
  readonly country?: string;
  readonly source?: string;
  readonly campaign?: string;
  /**
   * The company's website as submitted (`acme.com`, `https://www.acme.com/about`), at most 2048 characters.
   * Intake accepts only http(s) addresses or bare host names; enrichment reads the company domain from it
   * when the email is a free or disposable mailbox.
   */
  readonly website?: string;
  /** Where the lead came from, captured at the edge and carried on every later event about it. */
  readonly attribution?: Attribution;
  /**
   * The lead's ids in other systems, by system name (`{ salesforce: '00Q5e00000AbCdE' }`): dedupe treats
   * two leads with the same id in the same system as one person.
   */
  readonly externalIds?: Readonly<Record<string, string>>;
}

/**
 * True when the fields name someone dedupe and the reps can tell apart: an email, a phone, an external id,
 * or a name (given or family) together with a company (its name or website). Blank strings count as absent.
 */
export function namesSomeone(lead: Pick<LeadFields, 'email' | 'phone' | 'externalIds' | 'firstName' | 'lastName' | 'company' | 'website'>): boolean {
  const filled = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
  if (filled(lead.email) || filled(lead.phone)) return true;
  if (lead.externalIds && Object.values(lead.externalIds).some(filled)) return true;
  return (filled(lead.firstName) || filled(lead.lastName)) && (filled(lead.company) || filled(lead.website));
}

/** What a lead that names no one is told, wherever it is refused. */
export const NAMES_NO_ONE = 'names no one: give an email, a phone, an external id, or a name with a company';

/** At most this many external ids per lead; a system name is 1-40 of a-z, 0-9, '_', '-'. */
export const MAX_EXTERNAL_IDS = 10;
export const EXTERNAL_SYSTEM_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Marketing attribution of a lead: UTM parameters, the referring page and the landing page. */
export interface Attribution {
  readonly utmSource?: string;
  readonly utmMedium?: string;
  readonly utmCampaign?: string;
  readonly utmTerm?: string;
  readonly utmContent?: string;
  readonly referrer?: string;
  readonly landingPage?: string;
}
export const ATTRIBUTION_FIELDS = ['utmSource', 'utmMedium', 'utmCampaign', 'utmTerm', 'utmContent', 'referrer', 'landingPage'] as const;

/** A lead after enrichment. */
export interface EnrichedLead extends LeadFields {
  /** Trimmed and lower-cased; absent for a lead that came without one (known by its phone, an external id, or its name and company). */
  readonly email?: string;
  /** The part after the `@`, lower-cased; present exactly when `email` is. */
  readonly emailDomain?: string;
  /** True when the domain belongs to a free mailbox provider (gmail.com, outlook.com, ...); present exactly when `email` is. */
  readonly isFreeEmail?: boolean;
  /**
   * The company's web domain when it can be inferred: the email domain of a corporate address; for a free
   * or disposable mailbox, the host of `website` (lower case, punycode, `www.` stripped) unless it is a
   * free-mail, social-network, link-shortener or shared-hosting site, which names no company.
   */
  readonly companyDomain?: string;
  /**
   * The submitted website normalised: an absolute http(s) URL without query or fragment, host in lower
   * case and punycode, `https://` assumed when none was given (`acme.com` -> `https://acme.com/`,
   * `HTTP://WWW.Acme.com:8080/About?x=1` -> `http://www.acme.com:8080/About`); only the origin when the
   * path would make it longer than 2048 characters. Absent when what was submitted is no web address.
   */
  readonly website?: string;
  /** Company name reduced to a comparable key: lower-case, single spaces, legal suffixes (Inc, GmbH...) removed. */
  readonly companyKey?: string;
  /** E.164 (`+14155550100`) when parseable, otherwise the submitted value trimmed. */
  readonly phone?: string;
  /** ISO 3166-1 alpha-2, upper case, when recognised; otherwise absent. */
  readonly country?: string;
  /** The phone as the lead typed it (trimmed), present only when `phone` differs from it. */
  readonly phoneAsTyped?: string;
  /** True when the phone could not be read as a number of any country: `phone` is then as typed. */
  readonly phoneUnparseable?: boolean;
  /** True when the email domain is a disposable (throwaway) mailbox provider. Absent on leads enriched before it existed. */
  readonly isDisposableEmail?: boolean;
  /** Form of address split off the name ("Dr", "Prof", "Mrs"), several joined by a space ("Prof Dr"). */
  readonly honorific?: string;
  /** Generational or academic suffix split off the name ("Jr", "III", "PhD"), several joined by a space. */
  readonly nameSuffix?: string;
  /** Seniority read from the job title; present when there is a title. */
  readonly seniority?: Seniority;
  /** Department read from the job title; present when there is a title ('other' when none is recognised). */
  readonly department?: Department;
  /** What a firmographics provider knows of the lead's company; present when one found it. */
  readonly firmographics?: CompanyFirmographics;
  /** The sales territory of the lead's country, from the configured territory table. */
  readonly territory?: string;
  /** What enrichment looked up and where it found it, so a lead with no firmographics says why. */
  readonly enrichment?: EnrichmentReport;
  /**
   * The company the lead belongs to, set by dedupe: leads of one company (by domain, or by normalised
   * company name for free-mail addresses) share it. Absent before dedupe and when there is no company.
   */
  readonly accountId?: string;
}

/** One compared attribute of a match decision: how similar the two values were and what it weighed. */
export interface MatchFeature {
  readonly name: string;
  /** 0 (nothing alike) to 1 (the same). */
  readonly similarity: number;
  readonly weight: number;
  readonly left?: string;
  readonly right?: string;
}

/** Why dedupe took a lead for another: the rules version, the score and every feature compared. */
export interface MatchExplanation {
  readonly ruleSetVersion: string;
  /** The known lead it matched best. */
  readonly matchedLeadId: string;
  /** 0 to 1. */
  readonly score: number;
  /** What decided it, strongest first: 'email', 'phone', 'external-id', 'name', 'company', ... */
  readonly on: readonly string[];
  readonly features: readonly MatchFeature[];
}

/** How two known leads came to be merged. */
export interface MergeDecision {
  /** auto: above the upper threshold; review: a pair of the review queue merged by a person; manual: merged by request. */
  readonly by: 'auto' | 'review' | 'manual';
  readonly ruleSetVersion: string;
  readonly score?: number;
  readonly features?: readonly MatchFeature[];
  readonly reviewPairId?: string;
  /** The API key (its name) that asked, for review and manual merges. */
  readonly requestedBy?: string;
}
export const MERGE_DECIDERS: readonly MergeDecision['by'][] = ['auto', 'review', 'manual'];

/** Firmographics of a company, as a provider knows it; fields it does not know are absent. */
export interface CompanyFirmographics {
  /** The domain the provider knows the company under (its key). */
  readonly domain: string;
  readonly companyName?: string;
  readonly industry?: string;
  readonly employeeCount?: number;
  /** In whole units of the provider's currency (the reference dataset: USD). */
  readonly annualRevenue?: number;
  /** Where the company is (ISO 3166-1 alpha-2), which may differ from the lead's own country. */
  readonly country?: string;
  /** The parent company's domain, for a subsidiary. */
  readonly parentDomain?: string;
}

/**
 * found: a provider knew the company; not-found: the providers were asked and none knew it; failed: no
 * provider could answer (timeout, unavailable, circuit open); skipped: nothing to look up (a free-mail
 * address and no company name).
 */
export type FirmographicsOutcome = 'found' | 'not-found' | 'failed' | 'skipped';
export const FIRMOGRAPHICS_OUTCOMES: readonly FirmographicsOutcome[] = ['found', 'not-found', 'failed', 'skipped'];

export interface EnrichmentReport {
  readonly firmographics: FirmographicsOutcome;
  /** The provider that found the company (found only). */
  readonly source?: string;
  /** Whether it was found by the company's domain or by its normalised name (found only). */
  readonly matchedBy?: 'domain' | 'name';
  /** Firmographic fields the provider does not know for this company (found only). */
  readonly missing?: readonly string[];
  /** The providers that could not answer, and why. */
  readonly failures?: readonly { readonly provider: string; readonly reason: string }[];
  /** The version of the territory table that gave `territory`. */
  readonly territoryTable?: string;
}

/** How senior a job title is, from the top of the organisation down. */
export type Seniority = 'c-level' | 'vp' | 'director' | 'manager' | 'individual-contributor';
export const SENIORITIES: readonly Seniority[] = ['c-level', 'vp', 'director', 'manager', 'individual-contributor'];

/** The function a job title belongs to. */
export type Department =
  | 'sales'
  | 'marketing'
  | 'engineering'
  | 'finance'
  | 'hr'
  | 'operations'
  | 'it'
  | 'product'
  | 'legal'
  | 'customer-success'
  | 'executive'
  | 'other';
export const DEPARTMENTS: readonly Department[] = [
  'sales',
  'marketing',
  'engineering',
  'finance',
  'hr',
  'operations',
  'it',
  'product',
  'legal',
  'customer-success',
  'executive',
  'other',
];

export type Grade = 'A' | 'B' | 'C' | 'D';
export const GRADES: readonly Grade[] = ['A', 'B', 'C', 'D'];

export type Assignee = { readonly kind: 'rep'; readonly repId: string } | { readonly kind: 'queue'; readonly queueId: string };

export type ActivityKind =
  | 'email_opened'
  | 'email_clicked'
  | 'page_visited'
  | 'form_submitted'
  | 'webinar_attended'
  | 'content_downloaded'
  | 'meeting_booked'
  /** The lead unsubscribed from marketing email: scoring's negative rules can count it. */
  | 'unsubscribed';
export const ACTIVITY_KINDS: readonly ActivityKind[] = [
  'email_opened',
  'email_clicked',
  'page_visited',
  'form_submitted',
  'webinar_attended',
  'content_downloaded',
  'meeting_booked',
  'unsubscribed',
];

/**
 * Why a lead got points from one scoring rule: the rule, its points, and what earned them: the lead's
 * field and value (a fit rule) or the activities counted (an engagement rule, by activity event id).
 */
export interface ScoreReason {
  readonly rule: string;
  readonly points: number;
  /** 'fit' (attributes), 'engagement' (activities, after decay); absent on events scored before rule kinds existed. */
  readonly kind?: 'fit' | 'engagement';
  /** The fields a fit rule tested and the lead's values of them, e.g. { seniority: 'vp', country: 'US' }. */
  readonly fields?: Readonly<Record<string, string | number | boolean | null>>;
  /** The activity.recorded event ids an engagement rule counted (at most 20; `activityCount` has them all). */
  readonly activityIds?: readonly string[];
  readonly activityCount?: number;
  /** Points before the rule's cap and decay, when they differ from `points`. */
  readonly uncapped?: number;
}

/** How a lead entered Leadstream. */
export type LeadChannel = 'api' | 'batch' | 'form' | 'csv';
export const LEAD_CHANNELS: readonly LeadChannel[] = ['api', 'batch', 'form', 'csv'];

export type QualificationStage = 'MQL' | 'SQL';
