import { MatchRulesError, describeValue, isRecord } from './match-rules-error';
import { DEFAULT_SURVIVORSHIP_RULES, parseSurvivorshipRules, type SurvivorshipRules } from './survivorship';

/**
 * Evidence a feature adds to the log-odds that two leads are one person: `agree` when the values are
 * (nearly) the same, `disagree` when they clearly differ, in between for a partial similarity.
 */
export interface FeatureWeight {
  readonly agree: number;
  readonly disagree: number;
}

export type WeightedFeature = 'firstName' | 'lastName' | 'company' | 'phone' | 'emailLocalPart' | 'numberedMailbox' | 'country';
export const WEIGHTED_FEATURES: readonly WeightedFeature[] = ['firstName', 'lastName', 'company', 'phone', 'emailLocalPart', 'numberedMailbox', 'country'];

/** Match settings are data with a version (CONVENTIONS.md): changed by configuration, not code edits. */
export interface MatchRules {
  readonly version: string;
  /** Score (0..1) from which two leads are merged automatically. */
  readonly autoMergeAt: number;
  /** Score (0..1) from which, below autoMergeAt, a pair is proposed for review by a person. */
  readonly reviewAt: number;
  /** The same mailbox (matchKey) is the same lead, score 1, whatever else differs. */
  readonly exactEmailMerges: boolean;
  /** The same id in the same external system (CRM) is the same lead, score 1. */
  readonly exactExternalIdMerges: boolean;
  /**
   * A lead known by nothing but its phone (no usable email, no name, no company, no external id: a
   * trade-show list) is the same lead as one with the same E.164 phone, score 1: there is nothing else to
   * compare, and nothing speaks against it. When the phone is shared by two people (a switchboard), the
   * resolver joins neither and proposes both for review.
   */
  readonly phoneOnlyLeadMerges: boolean;
  /** Log-odds of a match before any evidence: two leads that share a blocking key are rarely one person. */
  readonly prior: number;
  readonly weights: Readonly<Record<WeightedFeature, FeatureWeight>>;
  /** Evidence of a first name given as an initial that fits the other ("J." and "John"). */
  readonly initialAgree: number;
  /** Taken off when the names only agree with first and last name swapped. */
  readonly swappedPenalty: number;
  /** Jaro-Winkler similarity from which text counts as the same (full `agree`)... */
  readonly similarAt: number;
  /** ...and up to which it counts as different (full `disagree`); linear in between. */
  readonly differentAt: number;
  /** The most candidates the adapter loads per key (its LIMIT); keeps a crowded key from costing much. */
  readonly maxCandidatesPerKey: number;
  readonly survivorship: SurvivorshipRules;
}

export const DEFAULT_MATCH_RULES: MatchRules = {
  version: '1',
  autoMergeAt: 0.9,
  reviewAt: 0.6,
  exactEmailMerges: true,
  exactExternalIdMerges: true,
  phoneOnlyLeadMerges: true,
  prior: -5.5,
  weights: {
    firstName: { agree: 3, disagree: -6 },
    lastName: { agree: 4, disagree: -5 },
    company: { agree: 3, disagree: -4 },
    phone: { agree: 4, disagree: -0.5 },
    emailLocalPart: { agree: 0.5, disagree: 0 },
    // "jsmith@acme.com" and "jsmith2@acme.com": the company numbered the second mailbox for a second person.
    numberedMailbox: { agree: 0, disagree: -6 },
    country: { agree: 0, disagree: -1.5 },
  },
  initialAgree: 1.5,
  swappedPenalty: 0.5,
  similarAt: 0.92,
  differentAt: 0.75,
  maxCandidatesPerKey: 50,
  survivorship: DEFAULT_SURVIVORSHIP_RULES,
};

function fail(path: string, message: string): never {
  throw new MatchRulesError(path, message);
}

function numberAt(raw: Record<string, unknown>, key: string, path: string, fallback: number, check?: (value: number) => string | undefined): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  const at = path === '' ? key : `${path}.${key}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(at, `${at} must be a finite number, got ${describeValue(value)}`);
  const problem = check?.(value);
  if (problem !== undefined) fail(at, `${at} must be ${problem}, got ${describeValue(value)}`);
  return value;
}

function booleanAt(raw: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(key, `${key} must be true or false, got ${describeValue(value)}`);
  return value;
}

const between01 = (value: number): string | undefined => (value >= 0 && value <= 1 ? undefined : 'a number between 0 and 1');

/**
 * Validates match rules read from configuration; missing settings take DEFAULT_MATCH_RULES' values.
 * Throws MatchRulesError ('DEDUPE.INVALID_MATCH_RULES') naming the offending path and value.
 */
export function parseMatchRules(raw: unknown): MatchRules {
  if (!isRecord(raw)) fail('', `match rules must be an object, got ${describeValue(raw)}`);
  const defaults = DEFAULT_MATCH_RULES;
  const version = raw['version'] ?? defaults.version;
  if (typeof version !== 'string' || version.trim() === '') fail('version', `version must be a non-empty string, got ${describeValue(version)}`);
  const reviewAt = numberAt(raw, 'reviewAt', '', defaults.reviewAt, between01);
  const autoMergeAt = numberAt(raw, 'autoMergeAt', '', defaults.autoMergeAt, (value) =>
    value >= 0 && value <= 1 && value > reviewAt ? undefined : `a number between 0 and 1 and above reviewAt (${reviewAt})`,
  );
  const differentAt = numberAt(raw, 'differentAt', '', defaults.differentAt, between01);
  const similarAt = numberAt(raw, 'similarAt', '', defaults.similarAt, (value) =>
    value >= 0 && value <= 1 && value > differentAt ? undefined : `a number between 0 and 1 and above differentAt (${differentAt})`,
  );
  const rawWeights = raw['weights'] ?? {};
  if (!isRecord(rawWeights)) fail('weights', `weights must be an object, got ${describeValue(rawWeights)}`);
  for (const key of Object.keys(rawWeights)) {
    if (!(WEIGHTED_FEATURES as string[]).includes(key)) fail(`weights.${key}`, `weights.${key} is not a feature (${WEIGHTED_FEATURES.join(', ')})`);
  }
  const weights = {} as Record<WeightedFeature, FeatureWeight>;
  for (const feature of WEIGHTED_FEATURES) {
    const rawWeight = rawWeights[feature] ?? {};
    const path = `weights.${feature}`;
    if (!isRecord(rawWeight)) fail(path, `${path} must be an object { agree, disagree }, got ${describeValue(rawWeight)}`);
    weights[feature] = {
      agree: numberAt(rawWeight, 'agree', path, defaults.weights[feature].agree, (value) => (value >= 0 ? undefined : 'zero or more')),
      disagree: numberAt(rawWeight, 'disagree', path, defaults.weights[feature].disagree, (value) => (value <= 0 ? undefined : 'zero or less')),
    };
  }
  return {
    version,
    autoMergeAt,
    reviewAt,
    exactEmailMerges: booleanAt(raw, 'exactEmailMerges', defaults.exactEmailMerges),
    exactExternalIdMerges: booleanAt(raw, 'exactExternalIdMerges', defaults.exactExternalIdMerges),
    phoneOnlyLeadMerges: booleanAt(raw, 'phoneOnlyLeadMerges', defaults.phoneOnlyLeadMerges),
    prior: numberAt(raw, 'prior', '', defaults.prior),
    weights,
    initialAgree: numberAt(raw, 'initialAgree', '', defaults.initialAgree),
    swappedPenalty: numberAt(raw, 'swappedPenalty', '', defaults.swappedPenalty, (value) => (value >= 0 ? undefined : 'zero or more')),
    similarAt,
    differentAt,
    maxCandidatesPerKey: numberAt(raw, 'maxCandidatesPerKey', '', defaults.maxCandidatesPerKey, (value) =>
      Number.isInteger(value) && value >= 1 && value <= 10_000 ? undefined : 'a whole number from 1 to 10000',
    ),
    survivorship: parseSurvivorshipRules(raw['survivorship']),
  };
}
