import { reactTo, type LeadEnriched, type LeadMerged, type LeadResolved, type MatchExplanation } from '@leadstream/contracts';
import { resolveLead, type MatchRules } from '@leadstream/domain-matching';
import type { MergeDecisionRow } from '../persistence/lead-record.repository';
import type { Resolution } from '../persistence/resolution.repository';
import type { ReviewPair } from '../persistence/review-pair.repository';
import type { ClusterBook } from './cluster-book';
import { explain, strongestMatch } from './explain-match';
import { keyHashesOf } from './lead-keys';
import { reviewPairOf } from './review-pair-id';

type Proposal = Omit<ReviewPair, 'status' | 'decidedAt' | 'decidedBy'>;

/**
 * The leads of one stage batch resolved in order against the clusters the transaction opened: each
 * lead's candidates (stored leads under its keys, and the batch's earlier leads), the pure resolver's
 * decision, the clusters joined, and what is to be stored and published. In memory only: the consumer
 * loads the ClusterBook before and stores what this collected after.
 */
export class BatchResolution {
  readonly outgoing: (LeadResolved | LeadMerged)[] = [];
  readonly resolutions: Resolution[] = [];
  readonly decisions: MergeDecisionRow[] = [];
  readonly proposals: Proposal[] = [];
  /** Leads new in this batch, by key, so a later lead of the batch finds an earlier one. */
  private readonly batchKeys = new Map<string, string[]>();

  constructor(
    private readonly book: ClusterBook,
    /** The stored leads found under each key hash of the batch's leads. */
    private readonly byKey: ReadonlyMap<string, readonly string[]>,
    private readonly rules: MatchRules,
    private readonly occurredAt: string,
  ) {}

  resolve(event: LeadEnriched): void {
    const { leadId } = event.metadata;
    const lead = event.data.lead;
    if (this.book.has(leadId)) {
      // The same lead enriched again: its fields are replaced, its cluster stays.
      this.book.update(leadId, lead);
      const clusterId = this.book.clusterIdOf(leadId);
      this.resolutions.push({ inputEventId: event.metadata.eventId, leadId, masterLeadId: clusterId, outcome: clusterId === leadId ? 'new' : 'merged', ruleVersion: this.rules.version });
      this.outgoing.push(this.resolved(event, undefined, []));
      return;
    }
    const candidates = this.candidatesOf(leadId, keyHashesOf(lead));
    const resolution = resolveLead({ leadId, lead }, candidates, this.rules, { dismissedPairs: this.book.dismissedPairs });
    this.book.add(leadId, lead, event.metadata.occurredAt);
    this.remember(leadId, keyHashesOf(lead));

    let match: MatchExplanation | undefined;
    if (resolution.outcome === 'merged' && resolution.best) {
      match = explain(resolution.best.leadId, resolution.best.comparison, this.rules);
      this.join(event, resolution.best.clusterId, resolution.joinClusterIds);
    }
    const clusterId = this.book.clusterIdOf(leadId);
    const proposed = this.propose(leadId, clusterId, resolution.reviews);
    // A lead that shared no key with any other had nothing compared: its lead_record says all there is (a
    // cluster of its own). Every lead that was compared keeps why: the match, or the best candidate that fell short.
    if (candidates.length > 0) {
      const why = match ?? (resolution.best ? explain(resolution.best.leadId, resolution.best.comparison, this.rules) : undefined);
      this.resolutions.push({
        inputEventId: event.metadata.eventId,
        leadId,
        masterLeadId: clusterId,
        outcome: clusterId === leadId ? 'new' : 'merged',
        ruleVersion: this.rules.version,
        ...(why ? { score: why.score, features: why.features } : {}),
        ...(match ? { matchedOn: match.on.join('+') } : {}),
      });
    }
    this.outgoing.push(this.resolved(event, match, proposed));
  }

  private candidatesOf(leadId: string, keys: readonly string[]): { leadId: string; clusterId: string; lead: LeadEnriched['data']['lead'] }[] {
    const ids = new Set<string>();
    for (const key of keys) {
      for (const id of this.byKey.get(key) ?? []) if (id !== leadId) ids.add(id);
      for (const id of this.batchKeys.get(key) ?? []) if (id !== leadId) ids.add(id);
    }
    return [...ids].map((id) => ({ leadId: id, clusterId: this.book.clusterIdOf(id), lead: this.book.leadOf(id) }));
  }

  private remember(leadId: string, keys: readonly string[]): void {
    for (const key of keys) {
      // As many of the batch's own leads per key as the store hands out per key: a crowded key stays cheap.
      const earlier = this.batchKeys.get(key);
      if (earlier === undefined) this.batchKeys.set(key, [leadId]);
      else if (earlier.length < this.rules.maxCandidatesPerKey) earlier.push(leadId);
    }
  }

  /**
   * Joins the lead's cluster with the best match's and every other cluster matched automatically that a
   * person has not said is someone else; a known cluster absorbed is a lead.merged.
   */
  private join(event: LeadEnriched, bestClusterId: string, joinClusterIds: readonly string[]): void {
    const { book, rules, occurredAt } = this;
    const { leadId } = event.metadata;
    const joining = [bestClusterId];
    for (const clusterId of joinClusterIds) {
      if (!joining.includes(clusterId) && joining.every((other) => !book.dismissedBetween(clusterId, other))) joining.push(clusterId);
    }
    const { survivorId, absorbed } = book.join([...joining, leadId]);
    for (const cluster of absorbed.filter((c) => c.clusterId !== leadId)) {
      const link = strongestMatch(event.data.lead, cluster.memberIds.map((id) => ({ leadId: id, lead: book.leadOf(id) })), rules);
      const surviving = book.survivingRecord(survivorId);
      const merged = reactTo<LeadMerged>(event, `dedupe.merge:${cluster.clusterId}`, {
        type: 'lead.merged',
        leadId: survivorId,
        data: {
          survivorLeadId: survivorId,
          mergedLeadIds: cluster.memberIds,
          clusterLeadIds: book.memberIdsOf(survivorId),
          lead: surviving.lead,
          provenance: surviving.provenance,
          decision: { by: 'auto', ruleSetVersion: rules.version, score: link.comparison.score, features: link.comparison.features },
        },
        occurredAt,
      });
      this.outgoing.push(merged);
      this.decisions.push({
        decisionId: merged.metadata.eventId,
        kind: 'auto',
        clusterId: survivorId,
        leadIds: [leadId, ...cluster.memberIds],
        ruleVersion: rules.version,
        score: link.comparison.score,
        features: link.comparison.features,
        causeEventId: event.metadata.eventId,
        decidedAt: occurredAt,
      });
    }
  }

  /** The lead's review pairs: with leads dedupe knew before it, in clusters that are not its own nor said to be someone else. */
  private propose(leadId: string, clusterId: string, reviews: ReturnType<typeof resolveLead>['reviews']): Proposal[] {
    const proposed: Proposal[] = [];
    for (const review of reviews) {
      const other = this.book.clusterIdOf(review.leadId);
      if (other === clusterId || this.book.dismissedBetween(other, clusterId)) continue;
      proposed.push({ ...reviewPairOf(leadId, review.leadId), score: review.comparison.score, features: review.comparison.features, ruleVersion: this.rules.version, createdAt: this.occurredAt });
    }
    this.proposals.push(...proposed);
    return proposed;
  }

  /** The lead.resolved of a lead: its cluster now, the surviving record, and why. */
  private resolved(event: LeadEnriched, match: MatchExplanation | undefined, proposed: readonly Proposal[]): LeadResolved {
    const { leadId } = event.metadata;
    const clusterId = this.book.clusterIdOf(leadId);
    const surviving = this.book.survivingRecord(clusterId);
    const merged = clusterId !== leadId;
    return reactTo<LeadResolved>(event, 'dedupe', {
      type: 'lead.resolved',
      data: {
        outcome: merged ? 'merged' : 'new',
        masterLeadId: clusterId,
        ...(match ? { matchedOn: match.on.join('+') } : {}),
        lead: surviving.lead,
        clusterLeadIds: this.book.memberIdsOf(clusterId),
        ...(merged ? { provenance: surviving.provenance } : {}),
        ...(match ? { match } : {}),
        ...(proposed.length > 0 ? { reviewPairs: proposed.map((p) => ({ pairId: p.pairId, leadId: p.leadA === leadId ? p.leadB : p.leadA, score: p.score })) } : {}),
      },
      occurredAt: this.occurredAt,
    });
  }
}
