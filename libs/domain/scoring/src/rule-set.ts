import type { ActivityKind, EnrichedLead, Grade } from '@leadstream/contracts';

/**
 * Lead fields a rule can test: the flat ones (attribution, firmographics and the enrichment report are nested records, scored by later rule kinds).
 * Not `website`: a URL is no value to compare, and what it says of the company is in companyDomain (and firmographics).
 */
export type ScorableField = Exclude<keyof EnrichedLead, 'attribution' | 'firmographics' | 'enrichment' | 'externalIds' | 'website'>;
export const SCORABLE_FIELDS: readonly ScorableField[] = [
  'email', 'emailDomain', 'isFreeEmail', 'companyDomain', 'companyKey', 'firstName', 'lastName', 'company',
  'title', 'phone', 'country', 'source', 'campaign', 'seniority', 'department', 'territory', 'isDisposableEmail',
];

/**
 * A test on one lead field. Text comparisons ignore case; a blank value counts as absent.
 * - equals: the value equals `value` (a boolean for isFreeEmail)
 * - in: the value is one of `value`
 * - contains: the value contains any of `value`
 * - present / absent: the field has / has no non-blank value
 */
export type LeadCondition =
  | { readonly field: ScorableField; readonly op: 'equals'; readonly value: string | boolean }
  | { readonly field: ScorableField; readonly op: 'in'; readonly value: readonly string[] }
  | { readonly field: ScorableField; readonly op: 'contains'; readonly value: readonly string[] }
  | { readonly field: ScorableField; readonly op: 'present' }
  | { readonly field: ScorableField; readonly op: 'absent' };

export type ConditionOp = LeadCondition['op'];
export const CONDITION_OPS: readonly ConditionOp[] = ['equals', 'in', 'contains', 'present', 'absent'];

/** Points when the lead matches `when` (one condition, or a list that must all hold). */
export interface LeadRule {
  readonly id: string;
  readonly description?: string;
  readonly when: LeadCondition | readonly LeadCondition[];
  readonly points: number;
}

/** Points for each recorded activity of a kind, capped at `maxPoints` when given. */
export interface ActivityRule {
  readonly id: string;
  readonly description?: string;
  readonly activity: ActivityKind;
  readonly points: number;
  readonly maxPoints?: number;
}

export type ScoringRule = LeadRule | ActivityRule;

/** A versioned rule set: users change scoring by publishing a new version, never by editing code. */
export interface ScoringRuleSet {
  readonly version: string;
  readonly rules: readonly ScoringRule[];
  /** Minimum score for each grade; anything below C is D. A > B > C. */
  readonly grades: { readonly A: number; readonly B: number; readonly C: number };
  readonly mqlThreshold: number;
  readonly sqlThreshold: number;
}

export function isActivityRule(rule: ScoringRule): rule is ActivityRule {
  return 'activity' in rule;
}

export type { Grade };
