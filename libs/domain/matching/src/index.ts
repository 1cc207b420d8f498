export { NoMatchKeyError, matchKey, matchKeys, type MatchBasis, type MatchKey } from './match-key';
export { resolveLead, type KnownLeads, type ResolveLead, type Resolution } from './resolve-lead';
