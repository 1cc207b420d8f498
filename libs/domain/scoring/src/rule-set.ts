import type { ActivityKind, EnrichedLead, Grade } from '@leadstream/contracts';

/**
 * The flat lead fields a fit rule can test. Not `website`: a URL is no value to compare, and what it says
 * of the company is in companyDomain (and firmographics).
 */
export const LEAD_FIELDS = [
  'email', 'emailDomain', 'isFreeEmail', 'companyDomain', 'companyKey', 'firstName', 'lastName', 'company',
  'title', 'phone', 'country', 'source', 'campaign', 'seniority', 'department', 'territory', 'isDisposableEmail',
] as const satisfies readonly (keyof EnrichedLead)[];

/** Fields of `lead.firmographics` a fit rule can test, under their own names. */
export const FIRMOGRAPHIC_FIELDS = ['industry', 'employeeCount', 'annualRevenue'] as const;

export type LeadField = (typeof LEAD_FIELDS)[number];
export type FirmographicField = (typeof FIRMOGRAPHIC_FIELDS)[number];
export type ScorableField = LeadField | FirmographicField;
export const SCORABLE_FIELDS: readonly ScorableField[] = [...LEAD_FIELDS, ...FIRMOGRAPHIC_FIELDS];

/** What a field holds, which decides the operators and values a condition on it may use. */
export type FieldType = 'text' | 'boolean' | 'number';
export function fieldType(field: ScorableField): FieldType {
  if (field === 'isFreeEmail' || field === 'isDisposableEmail') return 'boolean';
  if (field === 'employeeCount' || field === 'annualRevenue') return 'number';
  return 'text';
}

/**
 * A test on one lead field. Text comparisons ignore case and surrounding spaces; a blank value counts as
 * absent, and an absent field satisfies only `absent`.
 * - equals: the value equals `value` (text, a boolean for isFreeEmail / isDisposableEmail, a number for the numeric fields)
 * - in: the value is one of `value`
 * - contains: the text contains `value`, or any of `value` when a list
 * - present / absent: the field has / has no value
 * - atLeast / atMost / between: numeric fields, bounds included (`between: [min, max]`)
 */
export type Condition =
  | { readonly field: ScorableField; readonly op: 'equals'; readonly value: string | number | boolean }
  | { readonly field: ScorableField; readonly op: 'in'; readonly value: readonly (string | number)[] }
  | { readonly field: ScorableField; readonly op: 'contains'; readonly value: string | readonly string[] }
  | { readonly field: ScorableField; readonly op: 'present' }
  | { readonly field: ScorableField; readonly op: 'absent' }
  | { readonly field: ScorableField; readonly op: 'atLeast'; readonly value: number }
  | { readonly field: ScorableField; readonly op: 'atMost'; readonly value: number }
  | { readonly field: ScorableField; readonly op: 'between'; readonly value: readonly [number, number] };

export type ConditionOp = Condition['op'];
export const CONDITION_OPS: readonly ConditionOp[] = ['equals', 'in', 'contains', 'present', 'absent', 'atLeast', 'atMost', 'between'];

/** The operators each kind of field accepts. */
export const OPS_BY_FIELD_TYPE: Readonly<Record<FieldType, readonly ConditionOp[]>> = {
  text: ['equals', 'in', 'contains', 'present', 'absent'],
  boolean: ['equals', 'present', 'absent'],
  number: ['equals', 'in', 'present', 'absent', 'atLeast', 'atMost', 'between'],
};

/** Points, once, when the lead matches `when` (one condition, or a list that must all hold). Negative points make a negative rule. */
export interface FitRule {
  readonly id: string;
  readonly description?: string;
  readonly when: Condition | readonly Condition[];
  readonly points: number;
}

export type EngagementCount = 'each' | 'once';

/**
 * Points for the lead's activities of one kind (and, with `urlContains`, on a matching page).
 * - count 'each' (default): `points` per activity, once the lead has at least `minCount` of them;
 *   'once': `points` once when it has at least `minCount` (default 1).
 * - decays (default true): with the rule set's `decay`, an activity's points halve every half-life of its age.
 * - maxPoints: the most (in size, for negative points) the rule gives, after decay.
 * - withinDays: only activities of the last N days count.
 */
export interface EngagementRule {
  readonly id: string;
  readonly description?: string;
  readonly activity: ActivityKind;
  /** The activity's url must contain one of these (case-insensitive), e.g. ['/pricing']. */
  readonly urlContains?: readonly string[];
  readonly points: number;
  readonly count?: EngagementCount;
  readonly minCount?: number;
  readonly maxPoints?: number;
  readonly decays?: boolean;
  readonly withinDays?: number;
}

/** Minimum score for each grade; anything below C is D. A > B > C. */
export interface GradeThresholds {
  readonly A: number;
  readonly B: number;
  readonly C: number;
}

/** A versioned rule set: users change scoring by publishing a new version, never by editing code. */
export interface ScoringRuleSet {
  readonly version: string;
  readonly description?: string;
  readonly fit: readonly FitRule[];
  readonly engagement: readonly EngagementRule[];
  /** Engagement points of an activity halve every `halfLifeDays` of its age. */
  readonly decay?: { readonly halfLifeDays: number };
  /** The total is clamped to [minScore, maxScore]. */
  readonly maxScore?: number;
  readonly minScore?: number;
  readonly grades: GradeThresholds;
  readonly mqlThreshold: number;
  readonly sqlThreshold: number;
}

/** A rule id: what reasons, events and the API name the rule by. */
export const RULE_ID = /^[a-z0-9_-]{1,64}$/;
export const MAX_VERSION_LENGTH = 100;

export type { Grade };
