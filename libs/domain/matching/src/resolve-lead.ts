import type { EnrichedLead } from '@leadstream/contracts';
import { compareProfiles, knownByPhoneAlone, type MatchComparison } from './compare-leads';
import { buildProfile, matchProfile, type MatchProfile } from './match-profile';
import type { MatchRules } from './match-rules';

/** A known lead found under one of the incoming lead's exact or blocking keys. */
export interface Candidate {
  readonly leadId: string;
  /** The surviving lead id of the cluster the candidate belongs to. */
  readonly clusterId: string;
  readonly lead: EnrichedLead;
}

export interface IncomingLead {
  readonly leadId: string;
  readonly lead: EnrichedLead;
}

export interface CandidateMatch {
  readonly leadId: string;
  readonly clusterId: string;
  readonly comparison: MatchComparison;
}

export interface Resolution {
  readonly outcome: 'new' | 'merged';
  /** Every cluster with an automatic match, strongest first; the caller joins them all with the lead. */
  readonly joinClusterIds: readonly string[];
  /** The strongest match (merge or review), the explanation of the decision. */
  readonly best?: CandidateMatch;
  /**
   * Pairs for a person to decide, one per cluster not joined and not dismissed, strongest first: those
   * between the thresholds, and automatic matches with a cluster that is clearly another person than a
   * cluster joined (the lead would chain two people together).
   */
  readonly reviews: readonly CandidateMatch[];
}

export interface ResolveOptions {
  /** pairKey(a, b) of pairs a person said are different people: never merged nor proposed again. */
  readonly dismissedPairs?: ReadonlySet<string>;
}

/** An order-independent key for a pair of leads. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

// A feature of the comparison says firmly that these are two people: different given or family names,
// numbered mailboxes, another company (a weight of -3 or less). Too little evidence (a missing company)
// and weak differences (another phone, another country) are not against.
const FIRMLY_AGAINST = -3;

function speaksAgainst(comparison: MatchComparison): boolean {
  return comparison.score < 1 && comparison.features.some((feature) => feature.weight <= FIRMLY_AGAINST);
}

function strongestFirst(a: CandidateMatch, b: CandidateMatch): number {
  return b.comparison.score - a.comparison.score || (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0);
}

function resolveAgainstCandidates(incoming: IncomingLead, candidates: readonly Candidate[], rules: MatchRules, options: ResolveOptions): Resolution {
  const dismissed = options.dismissedPairs;
  // The incoming lead's profile is remembered (the adapter built it for its keys); candidates are fresh
  // rows from the database, profiled once here and not kept.
  const incomingProfile = matchProfile(incoming.lead);
  const matches: CandidateMatch[] = [];
  const profiles = new Map<string, MatchProfile>();
  const seen = new Set<string>();
  // Clusters with a member that is firmly another person than the incoming lead.
  const clustersAgainst = new Set<string>();
  // Matches decided by a phone alone (one of the two is known by nothing else).
  const byPhoneAlone = new Set<string>();
  for (const candidate of candidates) {
    if (candidate.leadId === incoming.leadId || seen.has(candidate.leadId)) continue;
    seen.add(candidate.leadId);
    if (dismissed?.has(pairKey(incoming.leadId, candidate.leadId))) continue;
    const profile = buildProfile(candidate.lead);
    const comparison = compareProfiles(incomingProfile, profile, rules);
    if (speaksAgainst(comparison)) clustersAgainst.add(candidate.clusterId);
    if (comparison.verdict === 'distinct') continue;
    if (comparison.score === 1 && (knownByPhoneAlone(incomingProfile) || knownByPhoneAlone(profile)) && comparison.on.includes('phone')) byPhoneAlone.add(candidate.leadId);
    profiles.set(candidate.leadId, profile);
    matches.push({ leadId: candidate.leadId, clusterId: candidate.clusterId, comparison });
  }
  matches.sort(strongestFirst);

  // Join every cluster matched automatically, except one whose matching lead is clearly another person
  // than a cluster already joined (an initial or a personal address can fit two namesakes): a feature
  // between the two speaks firmly against them (not merely too little evidence). That one goes to review
  // instead of chaining two people together.
  const joined: CandidateMatch[] = [];
  const conflicting: CandidateMatch[] = [];
  for (const match of matches) {
    if (match.comparison.verdict !== 'merge' || joined.some((each) => each.clusterId === match.clusterId)) continue;
    if (conflicting.some((each) => each.clusterId === match.clusterId)) continue;
    const profile = profiles.get(match.leadId) as MatchProfile;
    // A phone alone does not outweigh a member of the cluster that is clearly someone else: the number may
    // be a switchboard, and joining would chain that person to the incoming lead.
    const phoneAgainstMember = byPhoneAlone.has(match.leadId) && clustersAgainst.has(match.clusterId);
    const clash = phoneAgainstMember || joined.some((each) => speaksAgainst(compareProfiles(profiles.get(each.leadId) as MatchProfile, profile, rules)));
    (clash ? conflicting : joined).push(match);
  }
  // A lead known by its phone alone that matches two people sharing that phone could be either of them: join neither.
  if (conflicting.length > 0 && knownByPhoneAlone(incomingProfile)) conflicting.unshift(...joined.splice(0));
  const joinClusterIds = joined.map((match) => match.clusterId);
  const reviews: CandidateMatch[] = [];
  const reviewed = new Set<string>();
  for (const match of matches) {
    const proposable = match.comparison.verdict === 'review' || conflicting.includes(match);
    if (!proposable || joinClusterIds.includes(match.clusterId) || reviewed.has(match.clusterId)) continue;
    if (match.clusterId === incoming.leadId) continue; // a member of the incoming lead's own cluster
    reviewed.add(match.clusterId);
    reviews.push(match);
  }
  return { outcome: joinClusterIds.length > 0 ? 'merged' : 'new', joinClusterIds, ...(matches.length > 0 ? { best: matches[0] } : {}), reviews };
}

/**
 * Decides whether an enriched lead is new or joins known clusters, comparing it with the candidates the
 * adapter found under its exactKeys and blockingKeys. Every cluster with an automatic match is joined (a
 * lead that matches two clusters links them); pairs between reviewAt and autoMergeAt are proposed for
 * review, one per cluster, unless dismissed. The incoming lead among the candidates (a redelivery) is
 * ignored, so a retry resolves the same way. Never throws on bad lead data.

 */
export function resolveLead(incoming: IncomingLead, candidates: readonly Candidate[], rules: MatchRules, options: ResolveOptions = {}): Resolution {
  return resolveAgainstCandidates(incoming, candidates, rules, options);
}
