export { NoMatchKeyError, mailboxKey, matchKey } from './match-key';
export { MatchRulesError } from './match-rules-error';
export { DEFAULT_MATCH_RULES, WEIGHTED_FEATURES, parseMatchRules, type FeatureWeight, type MatchRules, type WeightedFeature } from './match-rules';
export { MAX_COMPARED_LENGTH, buildProfile, foldName, matchProfile, type MatchProfile } from './match-profile';
export { canonicalGivenNames } from './nicknames';
export { accountKeyOf, blockingKeys, exactKeys } from './match-keys';
export { compareLeads, compareProfiles, type MatchComparison, type MatchFeature, type MatchVerdict } from './compare-leads';
export {
  pairKey,
  resolveLead,
  type Candidate,
  type CandidateMatch,
  type IncomingLead,
  type ResolveOptions,
  type Resolution,
} from './resolve-lead';
export {
  DEFAULT_SURVIVORSHIP_RULES,
  EmptyClusterError,
  SURVIVOR_FIELDS,
  SURVIVOR_STRATEGIES,
  parseSurvivorshipRules,
  surviveRecord,
  type SurvivingRecord,
  type SurvivorField,
  type SurvivorInput,
  type SurvivorStrategy,
  type SurvivorshipRules,
} from './survivorship';
