import { blockingKeys, compareLeads, exactKeys, resolveLead, type Candidate, type MatchComparison, type MatchRules } from '@leadstream/domain-matching';
import type { LabelledLead } from './generate-leads';

export interface PairCounts {
  /** Pairs of leads put together that are one person. */
  readonly truePositives: number;
  /** Pairs put together. */
  readonly predicted: number;
  /** Pairs that are one person. */
  readonly actual: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface QualityReport {
  readonly leads: number;
  readonly people: number;
  /** Automatic merges only: the clusters the service would keep. */
  readonly autoMerge: PairCounts;
  /** Automatic merges plus every proposed review pair accepted (what a reviewer could reach). */
  readonly withReviews: PairCounts;
  readonly reviewPairs: number;
  /** Review pairs that are one person. */
  readonly reviewPairsSamePerson: number;
  readonly comparisons: number;
  readonly maxCandidatesForOneLead: number;
  readonly largestKey: number;
  /** Wrong merges and missed pairs by the corruptions of the leads involved, to see what fails. */
  readonly falseMerges: readonly { readonly left: LabelledLead; readonly right: LabelledLead; readonly score: number; readonly on: readonly string[] }[];
  readonly missedByCorruption: Readonly<Record<string, number>>;
  /** Duplicates left apart: the pair, whether they shared a key, and how they compare. */
  readonly missed: readonly { readonly left: LabelledLead; readonly right: LabelledLead; readonly sharedKey: boolean; readonly comparison: MatchComparison }[];
}

class Clusters {
  private readonly parent = new Map<string, string>();
  private readonly arrival = new Map<string, number>();

  add(leadId: string, order: number): void {
    this.parent.set(leadId, leadId);
    this.arrival.set(leadId, order);
  }

  find(leadId: string): string {
    let root = leadId;
    while (this.parent.get(root) !== root) root = this.parent.get(root) as string;
    let node = leadId;
    while (node !== root) {
      const next = this.parent.get(node) as string;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  /** The surviving lead of a joined cluster is the one that arrived first. */
  join(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return;
    const [survivor, absorbed] = (this.arrival.get(rootA) as number) <= (this.arrival.get(rootB) as number) ? [rootA, rootB] : [rootB, rootA];
    this.parent.set(absorbed, survivor);
  }
}

function pairsWithin(size: number): number {
  return (size * (size - 1)) / 2;
}

function pairCounts(leads: readonly LabelledLead[], clusterOf: (leadId: string) => string): PairCounts {
  const byCluster = new Map<string, number>();
  const byPerson = new Map<string, number>();
  const byBoth = new Map<string, number>();
  for (const { leadId, personId } of leads) {
    const cluster = clusterOf(leadId);
    byCluster.set(cluster, (byCluster.get(cluster) ?? 0) + 1);
    byPerson.set(personId, (byPerson.get(personId) ?? 0) + 1);
    const both = `${cluster}\u0000${personId}`;
    byBoth.set(both, (byBoth.get(both) ?? 0) + 1);
  }
  const sum = (counts: Map<string, number>): number => [...counts.values()].reduce((total, size) => total + pairsWithin(size), 0);
  const truePositives = sum(byBoth);
  const predicted = sum(byCluster);
  const actual = sum(byPerson);
  const precision = predicted === 0 ? 1 : truePositives / predicted;
  const recall = actual === 0 ? 1 : truePositives / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives, predicted, actual, precision, recall, f1 };
}

/**
 * Runs the pure resolver over the leads in arrival order as the dedupe service would: candidates are the
 * known leads under the incoming lead's exactKeys and blockingKeys (at most maxCandidatesPerKey per key,
 * the most recent, as the adapter's LIMIT), clusters are joined on every automatic merge, and review
 * pairs are collected. Returns pairwise precision, recall and F1 against the labels.
 */
export function evaluateQuality(leads: readonly LabelledLead[], rules: MatchRules): QualityReport {
  const index = new Map<string, string[]>();
  const byId = new Map<string, LabelledLead>();
  const merged = new Clusters();
  const reviewed = new Clusters();
  const falseMerges: QualityReport['falseMerges'][number][] = [];
  let reviewPairs = 0;
  let reviewPairsSamePerson = 0;
  let comparisons = 0;
  let maxCandidatesForOneLead = 0;

  leads.forEach((incoming, order) => {
    byId.set(incoming.leadId, incoming);
    merged.add(incoming.leadId, order);
    reviewed.add(incoming.leadId, order);
    const keys = [...exactKeys(incoming.lead), ...blockingKeys(incoming.lead)];
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const key of keys) {
      const known = index.get(key);
      if (known === undefined) continue;
      for (const leadId of known.slice(-rules.maxCandidatesPerKey)) {
        if (seen.has(leadId)) continue;
        seen.add(leadId);
        candidates.push({ leadId, clusterId: merged.find(leadId), lead: (byId.get(leadId) as LabelledLead).lead });
      }
    }
    comparisons += candidates.length;
    maxCandidatesForOneLead = Math.max(maxCandidatesForOneLead, candidates.length);
    const resolution = resolveLead({ leadId: incoming.leadId, lead: incoming.lead }, candidates, rules);
    for (const clusterId of resolution.joinClusterIds) {
      const joining = candidates.find((candidate) => candidate.clusterId === clusterId && candidate.leadId !== incoming.leadId);
      const other = byId.get(joining?.leadId ?? clusterId) as LabelledLead;
      if (other.personId !== incoming.personId) {
        const comparison = resolution.best?.clusterId === clusterId ? resolution.best.comparison : undefined;
        falseMerges.push({ left: incoming, right: other, score: comparison?.score ?? Number.NaN, on: comparison?.on ?? [] });
      }
      merged.join(incoming.leadId, clusterId);
      reviewed.join(incoming.leadId, clusterId);
    }
    for (const review of resolution.reviews) {
      reviewPairs++;
      if ((byId.get(review.leadId) as LabelledLead).personId === incoming.personId) reviewPairsSamePerson++;
      reviewed.join(incoming.leadId, review.leadId);
    }
    for (const key of keys) {
      const known = index.get(key);
      if (known === undefined) index.set(key, [incoming.leadId]);
      else known.push(incoming.leadId);
    }
  });

  const missedByCorruption: Record<string, number> = {};
  const missed: QualityReport['missed'][number][] = [];
  const firstOfPerson = new Map<string, LabelledLead>();
  for (const lead of leads) {
    const first = firstOfPerson.get(lead.personId);
    if (first === undefined) {
      firstOfPerson.set(lead.personId, lead);
      continue;
    }
    if (merged.find(first.leadId) === merged.find(lead.leadId)) continue;
    const corruptions = new Set([...first.corruptions, ...lead.corruptions]);
    for (const corruption of corruptions.size > 0 ? corruptions : ['none']) missedByCorruption[corruption] = (missedByCorruption[corruption] ?? 0) + 1;
    const firstKeys = new Set([...exactKeys(first.lead), ...blockingKeys(first.lead)]);
    const sharedKey = [...exactKeys(lead.lead), ...blockingKeys(lead.lead)].some((key) => firstKeys.has(key));
    missed.push({ left: first, right: lead, sharedKey, comparison: compareLeads(first.lead, lead.lead, rules) });
  }

  return {
    leads: leads.length,
    people: new Set(leads.map((lead) => lead.personId)).size,
    autoMerge: pairCounts(leads, (leadId) => merged.find(leadId)),
    withReviews: pairCounts(leads, (leadId) => reviewed.find(leadId)),
    reviewPairs,
    reviewPairsSamePerson,
    comparisons,
    maxCandidatesForOneLead,
    largestKey: [...index.values()].reduce((largest, ids) => Math.max(largest, ids.length), 0),
    falseMerges,
    missedByCorruption,
    missed,
  };
}
