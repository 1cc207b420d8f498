import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadEnriched, type LeadMerged, type LeadResolved, type MatchExplanation } from '@leadstream/contracts';
import { resolveLead, type MatchRules } from '@leadstream/domain-matching';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import type { ClusterBook } from '../identity/cluster-book';
import { identityStore } from '../identity/identity-store';
import { explain, strongestMatch } from '../identity/explain-match';
import { keyHashesOf, lockBucketsOf } from '../identity/lead-keys';
import { MATCH_RULES } from '../match-rules.provider';
import type { MergeDecisionRow } from '../persistence/lead-record.repository';
import { resolutionRepository, type Resolution } from '../persistence/resolution.repository';
import { reviewPairRepository, type ReviewPair } from '../persistence/review-pair.repository';
import { reviewPairId } from '../identity/review-pair-id';

/**
 * lead.enriched -> lead.resolved (new, or merged into a known cluster) and lead.merged when the lead links
 * known clusters into one. A stage locked on the buckets of the lead's match keys, so two leads that could
 * match each other are resolved one after the other in any lane or replica; the clusters the batch touches
 * are locked by their surviving lead's row (identityStore.open). Candidates come from exact and blocking
 * keys; the pure resolver decides; the surviving record is rebuilt by the survivorship rules.
 */
@Controller()
export class LeadEnrichedConsumer {
  constructor(@Inject(MATCH_RULES) private readonly rules: MatchRules) {}

  @EventPattern(TOPICS.leadEnriched, lockOn<LeadEnriched>((event) => lockBucketsOf(event.data.lead)))
  async handle(@Payload() batch: StageBatch<LeadEnriched>): Promise<(LeadResolved | LeadMerged)[]> {
    const { rules } = this;
    const occurredAt = batch.now.toISOString();
    const events = batch.events.map(({ event }) => event);
    const { book, byKey } = await identityStore.open(batch.transaction, events.map((event) => keyHashesOf(event.data.lead)), rules);
    // Leads new in this batch, by key, so a later lead of the batch finds an earlier one.
    const batchKeys = new Map<string, string[]>();
    const outgoing: (LeadResolved | LeadMerged)[] = [];
    const resolutions: Resolution[] = [];
    const decisions: MergeDecisionRow[] = [];
    const proposals: Omit<ReviewPair, 'status' | 'decidedAt' | 'decidedBy'>[] = [];

    for (const event of events) {
      const { leadId } = event.metadata;
      const lead = event.data.lead;
      const keys = keyHashesOf(lead);
      if (book.has(leadId)) {
        // The same lead enriched again: its fields are replaced, its cluster stays.
        book.update(leadId, lead);
      } else {
        const candidateIds = new Set<string>();
        for (const key of keys) {
          for (const id of byKey.get(key) ?? []) if (id !== leadId) candidateIds.add(id);
          for (const id of batchKeys.get(key) ?? []) if (id !== leadId) candidateIds.add(id);
        }
        const candidates = [...candidateIds].map((id) => ({ leadId: id, clusterId: book.clusterIdOf(id), lead: book.leadOf(id) }));
        const resolution = resolveLead({ leadId, lead }, candidates, rules, { dismissedPairs: book.dismissedPairs });
        book.add(leadId, lead, event.metadata.occurredAt);
        for (const key of keys) {
          // As many of the batch's own leads per key as the store hands out per key: a crowded key stays cheap.
          const earlier = batchKeys.get(key);
          if (earlier === undefined) batchKeys.set(key, [leadId]);
          else if (earlier.length < rules.maxCandidatesPerKey) earlier.push(leadId);
        }

        let match: MatchExplanation | undefined;
        if (resolution.outcome === 'merged' && resolution.best) {
          const target = resolution.best.clusterId;
          // A person said some of these clusters are different people: join only those compatible with the best match.
          const joining = [target];
          for (const clusterId of resolution.joinClusterIds) {
            if (!joining.includes(clusterId) && joining.every((other) => !book.dismissedBetween(clusterId, other))) joining.push(clusterId);
          }
          const { survivorId, absorbed } = book.join([...joining, leadId]);
          match = explain(resolution.best.leadId, resolution.best.comparison, rules);
          for (const cluster of absorbed.filter((c) => c.clusterId !== leadId)) {
            const link = strongestMatch(lead, cluster.memberIds.map((id) => ({ leadId: id, lead: book.leadOf(id) })), rules);
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
            outgoing.push(merged);
            decisions.push({
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
        const clusterId = book.clusterIdOf(leadId);
        // A lead's pairs are all proposed here: the other lead of each is one dedupe knew before it.
        const proposedFrom = proposals.length;
        for (const review of resolution.reviews) {
          // Already one lead, or a person said the two clusters are different people: nothing to review.
          if (book.clusterIdOf(review.leadId) === clusterId || book.dismissedBetween(book.clusterIdOf(review.leadId), clusterId)) continue;
          const [leadA, leadB] = leadId < review.leadId ? [leadId, review.leadId] : [review.leadId, leadId];
          proposals.push({ pairId: reviewPairId(leadA, leadB), leadA, leadB, score: review.comparison.score, features: review.comparison.features, ruleVersion: rules.version, createdAt: occurredAt });
        }
        // A lead that shared no key with any other had nothing compared: its lead_record says all there is
        // (a cluster of its own). Every lead that was compared keeps why: the match, or the best candidate
        // that fell short.
        if (candidates.length > 0) {
          const why = match ?? (resolution.best ? explain(resolution.best.leadId, resolution.best.comparison, rules) : undefined);
          resolutions.push({
            inputEventId: event.metadata.eventId,
            leadId,
            masterLeadId: clusterId,
            outcome: clusterId === leadId ? 'new' : 'merged',
            ruleVersion: rules.version,
            ...(why ? { score: why.score, features: why.features } : {}),
            ...(match ? { matchedOn: match.on.join('+') } : {}),
          });
        }
        const proposed = proposals.slice(proposedFrom);
        outgoing.push(this.resolved(event, book, leadId, match, proposed, occurredAt));
        continue;
      }
      const clusterId = book.clusterIdOf(leadId);
      resolutions.push({ inputEventId: event.metadata.eventId, leadId, masterLeadId: clusterId, outcome: clusterId === leadId ? 'new' : 'merged', ruleVersion: rules.version });
      outgoing.push(this.resolved(event, book, leadId, undefined, [], occurredAt));
    }

    await identityStore.save(batch.transaction, book);
    await reviewPairRepository.propose(batch.transaction, proposals);
    await identityStore.storeDecisions(batch.transaction, decisions);
    await resolutionRepository.store(batch.transaction, resolutions);
    return outgoing;
  }

  private resolved(
    event: LeadEnriched,
    book: ClusterBook,
    leadId: string,
    match: MatchExplanation | undefined,
    proposed: readonly { pairId: string; leadA: string; leadB: string; score: number }[],
    occurredAt: string,
  ): LeadResolved {
    const clusterId = book.clusterIdOf(leadId);
    const surviving = book.survivingRecord(clusterId);
    const merged = clusterId !== leadId;
    return reactTo<LeadResolved>(event, 'dedupe', {
      type: 'lead.resolved',
      data: {
        outcome: merged ? 'merged' : 'new',
        masterLeadId: clusterId,
        ...(match ? { matchedOn: match.on.join('+') } : {}),
        lead: surviving.lead,
        clusterLeadIds: book.memberIdsOf(clusterId),
        ...(merged ? { provenance: surviving.provenance } : {}),
        ...(match ? { match } : {}),
        ...(proposed.length > 0 ? { reviewPairs: proposed.map((p) => ({ pairId: p.pairId, leadId: p.leadA === leadId ? p.leadB : p.leadA, score: p.score })) } : {}),
      },
      occurredAt,
    });
  }
}
