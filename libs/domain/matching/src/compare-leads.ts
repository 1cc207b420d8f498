import type { EnrichedLead, MatchFeature } from '@leadstream/contracts';
import { jaroWinkler } from '@skyra/jaro-winkler';
import { matchProfile, swappedProfile, type MatchProfile } from './match-profile';
import { isKnownGivenName } from './nicknames';
import type { FeatureWeight, MatchRules } from './match-rules';

/** One compared attribute: the contracts' type, which dedupe's events carry as they are. */
export type { MatchFeature };

export type MatchVerdict = 'merge' | 'review' | 'distinct';

export interface MatchComparison {
  /** 0..1: 1 for an exact identifier, otherwise the logistic of prior + the features' weights. */
  readonly score: number;
  readonly verdict: MatchVerdict;
  /** What the leads agree on, e.g. ['email'] or ['name', 'company']. */
  readonly on: readonly string[];
  readonly features: readonly MatchFeature[];
}

// Which `on` label a feature counts towards.
const LABEL: Readonly<Record<string, string>> = {
  'first-name': 'name',
  'first-name-nickname': 'name',
  'first-name-different': 'name',
  'first-initial': 'name',
  'last-name': 'name',
  'names-swapped': 'name',
  company: 'company',
  phone: 'phone',
  'email-local-part': 'email-local-part',
  'numbered-mailbox': 'email',
  country: 'country',
};

function evidence(similarity: number, weight: FeatureWeight, rules: MatchRules): number {
  if (similarity >= rules.similarAt) return weight.agree;
  if (similarity <= rules.differentAt) return weight.disagree;
  const share = (similarity - rules.differentAt) / (rules.similarAt - rules.differentAt);
  return weight.disagree + share * (weight.agree - weight.disagree);
}

/** At most one insertion, deletion, substitution or swap of neighbours apart: the usual typo. */
export function withinOneEdit(a: readonly string[], b: readonly string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  if (start === a.length && start === b.length) return true;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const restA = endA - start + 1;
  const restB = endB - start + 1;
  if (restA <= 1 && restB <= 1) return true; // one substitution, insertion or deletion
  return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]; // neighbours swapped
}

// Names this short have too many one-letter neighbours that are other names ("Li", "Lu"): a typo needs
// the longer name to have at least 4 letters and the shorter at least 3 ("Hahn" and "Hhn").
const TYPO_MIN_LONGER = 4;
const TYPO_MIN_SHORTER = 3;

/**
 * Evidence from two names: the same name or one typo apart agrees; otherwise Jaro-Winkler says how
 * different they are, but names two or more edits apart never count in favour ("Dorner" and "Dorninger"
 * look alike to Jaro-Winkler and are two families).
 */
function nameEvidence(aChars: readonly string[], bChars: readonly string[], similarity: number, weight: FeatureWeight, rules: MatchRules): number {
  if (similarity === 1) return weight.agree;
  const shorter = Math.min(aChars.length, bChars.length);
  const longer = Math.max(aChars.length, bChars.length);
  if (shorter >= TYPO_MIN_SHORTER && longer >= TYPO_MIN_LONGER && withinOneEdit(aChars, bChars)) return weight.agree;
  return Math.min(0, evidence(similarity, weight, rules));
}

function textSimilarity(a: string, aChars: readonly string[], b: string, bChars: readonly string[]): number {
  if (a === b) return 1;
  return jaroWinkler(aChars, bChars);
}

interface NamePart {
  readonly name: string;
  readonly similarity: number;
  readonly weight: number;
}

function givenNamePart(a: MatchProfile, b: MatchProfile, rules: MatchRules): NamePart | undefined {
  if (a.first === '' || b.first === '') return undefined;
  const weight = rules.weights.firstName;
  if (a.first.length === 1 || b.first.length === 1) {
    // "J." against "John": fits or not, but an initial is weak evidence either way.
    const fits = a.first[0] === b.first[0];
    return { name: 'first-initial', similarity: fits ? 0.8 : 0, weight: fits ? rules.initialAgree : weight.disagree };
  }
  const similarity = textSimilarity(a.first, a.firstChars, b.first, b.firstChars);
  if (similarity === 1) return { name: 'first-name', similarity, weight: weight.agree };
  if (a.firstCanonical.some((name) => b.firstCanonical.includes(name))) return { name: 'first-name-nickname', similarity: 1, weight: weight.agree };
  if (isKnownGivenName(a.first) && isKnownGivenName(b.first)) return { name: 'first-name-different', similarity, weight: weight.disagree };
  return { name: 'first-name', similarity, weight: nameEvidence(a.firstChars, b.firstChars, similarity, weight, rules) };
}

function familyNamePart(a: MatchProfile, b: MatchProfile, rules: MatchRules): NamePart | undefined {
  if (a.last === '' || b.last === '') return undefined;
  const similarity = textSimilarity(a.last, a.lastChars, b.last, b.lastChars);
  return { name: 'last-name', similarity, weight: nameEvidence(a.lastChars, b.lastChars, similarity, rules.weights.lastName, rules) };
}

// The names read crosswise, a's first name against b's last name and the reverse, either lead being the
// one that swapped them (which one decides which name is read as the given name), so a ~ b == b ~ a.
function swappedNames(a: MatchProfile, b: MatchProfile, rules: MatchRules): NamePart | undefined {
  if (a.first === '' || a.last === '' || b.first === '' || b.last === '') return undefined;
  // Cheap way out for most pairs: crosswise, neither name starts like the other's.
  if (a.first[0] !== b.last[0] && a.last[0] !== b.first[0]) return undefined;
  const crosswise = (left: MatchProfile, right: MatchProfile): NamePart => {
    const given = givenNamePart(left, right, rules) as NamePart;
    const family = familyNamePart(left, right, rules) as NamePart;
    return { name: 'names-swapped', similarity: Math.min(given.similarity, family.similarity), weight: given.weight + family.weight - rules.swappedPenalty };
  };
  const bSwapped = crosswise(a, swappedProfile(b));
  const aSwapped = crosswise(swappedProfile(a), b);
  return aSwapped.weight > bSwapped.weight ? aSwapped : bSwapped;
}

function companySimilarity(a: MatchProfile, b: MatchProfile): number | undefined {
  if (a.companyDomain !== '' && a.companyDomain === b.companyDomain) return 1;
  if (a.company !== '' && a.company === b.company) return 1;
  let best: number | undefined;
  const consider = (similarity: number): void => {
    if (best === undefined || similarity > best) best = similarity;
  };
  if (a.companyDomain !== '' && b.companyDomain !== '') consider(a.companyDomain === b.companyDomain ? 1 : 0);
  if (a.company !== '' && b.company !== '') {
    consider(textSimilarity(a.company, a.companyChars, b.company, b.companyChars));
  } else {
    // A side without a company name is read through its work domain ("acme" for acme.co.uk).
    if (a.company !== '' && b.domainLabel !== '') consider(textSimilarity(a.company, a.companyChars, b.domainLabel, b.domainLabelChars));
    if (a.domainLabel !== '' && b.company !== '') consider(textSimilarity(a.domainLabel, a.domainLabelChars, b.company, b.companyChars));
    if (a.company === '' && b.company === '' && a.domainLabel !== '' && b.domainLabel !== '') {
      consider(textSimilarity(a.domainLabel, a.domainLabelChars, b.domainLabel, b.domainLabelChars));
    }
  }
  return best;
}

// Two mailboxes of one company that differ only by digits.
function numberedMailboxes(left: MatchProfile, right: MatchProfile): boolean {
  if (left.workDomain === '' || left.workDomain !== right.workDomain || left.mailbox === right.mailbox) return false;
  return left.mailboxLetters === right.mailboxLetters && left.mailboxDigits !== right.mailboxDigits;
}

function scoreOf(logOdds: number): number {
  return 1 / (1 + Math.exp(-logOdds));
}

function verdictOf(score: number, rules: MatchRules): MatchVerdict {
  if (score >= rules.autoMergeAt) return 'merge';
  if (score >= rules.reviewAt) return 'review';
  return 'distinct';
}

/**
 * True for a lead that names itself by its phone alone: a parsed phone, and no usable email, name,
 * company (name or domain) or external id. Country, source and the like tell no one apart.
 */
export function knownByPhoneAlone(profile: MatchProfile): boolean {
  return (
    profile.phone !== '' &&
    profile.mailbox === '' &&
    profile.externalIds.length === 0 &&
    profile.first === '' &&
    profile.last === '' &&
    profile.company === '' &&
    profile.companyDomain === ''
  );
}

function exactMatch(a: MatchProfile, b: MatchProfile, rules: MatchRules): MatchComparison | undefined {
  if (rules.exactEmailMerges && a.mailbox !== '' && a.mailbox === b.mailbox) {
    return { score: 1, verdict: 'merge', on: ['email'], features: [{ name: 'email', similarity: 1, weight: 1, left: a.mailbox, right: b.mailbox }] };
  }
  if (rules.exactExternalIdMerges && a.externalIds.length > 0 && b.externalIds.length > 0) {
    const shared = a.externalIds.find((id) => b.externalIds.includes(id));
    if (shared !== undefined) {
      return { score: 1, verdict: 'merge', on: ['external-id'], features: [{ name: 'external-id', similarity: 1, weight: 1, left: shared, right: shared }] };
    }
  }
  // The phone is all one of them says of itself: the same number is the only evidence there is, and none is against.
  if (rules.phoneOnlyLeadMerges && a.phone !== '' && a.phone === b.phone && (knownByPhoneAlone(a) || knownByPhoneAlone(b))) {
    return { score: 1, verdict: 'merge', on: ['phone'], features: [{ name: 'phone', similarity: 1, weight: 1, left: a.phone, right: b.phone }] };
  }
  return undefined;
}

/**
 * Whether two enriched leads are one person, with the evidence. The same mailbox or the same external id
 * is a merge at score 1, and so is the same phone when one of the two is known by its phone alone (unless
 * the rules turn these off). Otherwise each feature both leads have adds
 * evidence: given name (Jaro-Winkler on folded names, nicknames, initials), family name, names swapped,
 * company (same domain, company keys, a key against the other's domain), phone, the letters of the email
 * local parts, country. A feature one lead lacks adds nothing. Score = logistic(prior + evidence).
 */
export function compareLeads(a: EnrichedLead, b: EnrichedLead, rules: MatchRules): MatchComparison {
  return compareProfiles(matchProfile(a), matchProfile(b), rules);
}

/** compareLeads on profiles already built (matchProfile or buildProfile): the resolver's hot path. */
export function compareProfiles(left: MatchProfile, right: MatchProfile, rules: MatchRules): MatchComparison {
  const exact = exactMatch(left, right, rules);
  if (exact !== undefined) return exact;

  const features: MatchFeature[] = [];
  const given = givenNamePart(left, right, rules);
  const family = familyNamePart(left, right, rules);
  const straight = (given?.weight ?? 0) + (family?.weight ?? 0);
  const swapped = swappedNames(left, right, rules);
  if (swapped !== undefined && swapped.weight > straight) {
    features.push({ name: swapped.name, similarity: swapped.similarity, weight: swapped.weight, left: `${left.first} ${left.last}`, right: `${right.first} ${right.last}` });
  } else {
    if (given !== undefined) features.push({ name: given.name, similarity: given.similarity, weight: given.weight, left: left.first, right: right.first });
    if (family !== undefined) features.push({ name: family.name, similarity: family.similarity, weight: family.weight, left: left.last, right: right.last });
  }

  const company = companySimilarity(left, right);
  if (company !== undefined) {
    features.push({
      name: 'company',
      similarity: company,
      weight: evidence(company, rules.weights.company, rules),
      left: left.companyDomain || left.company,
      right: right.companyDomain || right.company,
    });
  }
  if (left.phone !== '' && right.phone !== '') {
    const same = left.phone === right.phone;
    features.push({ name: 'phone', similarity: same ? 1 : 0, weight: same ? rules.weights.phone.agree : rules.weights.phone.disagree, left: left.phone, right: right.phone });
  }
  if (left.localPart.length >= 4 && right.localPart.length >= 4) {
    const similarity = textSimilarity(left.localPart, left.localPartChars, right.localPart, right.localPartChars);
    features.push({ name: 'email-local-part', similarity, weight: evidence(similarity, rules.weights.emailLocalPart, rules), left: left.localPart, right: right.localPart });
  }
  if (numberedMailboxes(left, right)) {
    features.push({ name: 'numbered-mailbox', similarity: 0, weight: rules.weights.numberedMailbox.disagree, left: left.mailbox, right: right.mailbox });
  }
  if (left.country !== '' && right.country !== '') {
    const same = left.country === right.country;
    features.push({ name: 'country', similarity: same ? 1 : 0, weight: same ? rules.weights.country.agree : rules.weights.country.disagree, left: left.country, right: right.country });
  }

  let logOdds = rules.prior;
  const on: string[] = [];
  for (const feature of features) {
    logOdds += feature.weight;
    const label = LABEL[feature.name] ?? feature.name;
    if (feature.weight > 0 && !on.includes(label)) on.push(label);
  }
  const score = scoreOf(logOdds);
  return { score, verdict: verdictOf(score, rules), on, features };
}
