import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadMerged, type LeadMergeRequested, type LeadUnmerged, type LeadUnmergeRequested, type MatchFeature } from '@leadstream/contracts';
import { compareLeads, type MatchRules } from '@leadstream/domain-matching';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import type { EntityManager } from 'typeorm';
import { identityStore } from '../identity/identity-store';
import { ALL_LOCK_BUCKETS } from '../identity/lead-keys';
import { reviewPairOf } from '../identity/review-pair-id';
import { MATCH_RULES } from '../match-rules.provider';
import { requestOutcomeRepository, type RequestOutcome } from '../persistence/request-outcome.repository';
import { reviewPairRepository } from '../persistence/review-pair.repository';

type Request = LeadMergeRequested | LeadUnmergeRequested;

/**
 * lead.merge-requested -> lead.merged, lead.unmerge-requested -> lead.unmerged: what a person asked of the
 * HTTP API (merge a review pair, split a lead off its cluster). Rare and able to touch any key, so a request
 * locks every bucket and runs alone. A request the state no longer allows (the pair was merged meanwhile,
 * the lead is no longer merged) is refused with its reason in request_outcome, which the HTTP call waits
 * for; it is not an error.
 */
@Controller()
export class MergeRequestsConsumer {
  constructor(@Inject(MATCH_RULES) private readonly rules: MatchRules) {}

  @EventPattern([TOPICS.leadMergeRequested, TOPICS.leadUnmergeRequested], lockOn<Request>(() => ALL_LOCK_BUCKETS))
  async handle(@Payload() batch: StageBatch<Request>): Promise<(LeadMerged | LeadUnmerged)[]> {
    const outgoing: (LeadMerged | LeadUnmerged)[] = [];
    const outcomes: RequestOutcome[] = [];
    const at = batch.now.toISOString();
    for (const { event } of batch.events) {
      const result = event.type === 'lead.merge-requested' ? await this.merge(batch.transaction, event, at) : await this.unmerge(batch.transaction, event, at);
      outcomes.push({ requestEventId: event.metadata.eventId, ...result.outcome, decidedAt: at });
      if (result.event) outgoing.push(result.event);
    }
    await requestOutcomeRepository.store(batch.transaction, outcomes);
    return outgoing;
  }

  private async merge(transaction: EntityManager, request: LeadMergeRequested, at: string): Promise<Decided<LeadMerged>> {
    const { rules } = this;
    const { leadIds, reviewPairId: pairId, requestedBy } = request.data;
    const book = await identityStore.openClusters(transaction, leadIds, rules);
    const unknown = leadIds.filter((leadId) => !book.has(leadId));
    if (unknown.length > 0) return refused(`dedupe has not resolved lead(s) ${unknown.join(', ')}`);
    let pair: { score: number; features: readonly MatchFeature[] } | undefined;
    if (pairId !== undefined) {
      const stored = await reviewPairRepository.get(transaction, pairId);
      if (!stored) return refused(`review pair ${pairId} does not exist`);
      if (stored.status !== 'pending') return refused(`review pair ${pairId} was already ${stored.status}${stored.decidedBy ? ` by ${stored.decidedBy}` : ''}`);
      pair = stored;
    }
    const clusterIds = [...new Set(leadIds.map((leadId) => book.clusterIdOf(leadId)))];
    if (clusterIds.length < 2) return refused(`leads ${leadIds.join(', ')} are already one lead, ${clusterIds[0]}`);
    const { survivorId, absorbed } = book.join(clusterIds);
    const mergedLeadIds = absorbed.flatMap((cluster) => cluster.memberIds);
    const comparison = pair ?? compareLeads(book.leadOf(leadIds[0] as string), book.leadOf(leadIds[1] as string), rules);
    const surviving = book.survivingRecord(survivorId);
    const by = pairId !== undefined ? 'review' : 'manual';
    const merged = reactTo<LeadMerged>(request, 'dedupe.merge', {
      type: 'lead.merged',
      leadId: survivorId,
      data: {
        survivorLeadId: survivorId,
        mergedLeadIds,
        clusterLeadIds: book.memberIdsOf(survivorId),
        lead: surviving.lead,
        provenance: surviving.provenance,
        decision: { by, ruleSetVersion: rules.version, score: comparison.score, features: comparison.features, ...(pairId ? { reviewPairId: pairId } : {}), requestedBy },
      },
      occurredAt: at,
    });
    await identityStore.save(transaction, book);
    // The pair merged, and every other pending pair between the leads now one.
    const members = book.memberIdsOf(survivorId);
    const pending = await reviewPairRepository.ofLeads(transaction, members);
    const settled = pending.filter((p) => p.status === 'pending' && members.includes(p.leadA) && members.includes(p.leadB));
    await reviewPairRepository.decide(transaction, settled, { status: 'merged', ruleVersion: rules.version, at, by: requestedBy });
    await identityStore.storeDecisions(transaction, [
      {
        decisionId: merged.metadata.eventId,
        kind: by,
        clusterId: survivorId,
        leadIds: [survivorId, ...mergedLeadIds],
        ruleVersion: rules.version,
        score: comparison.score,
        features: comparison.features,
        requestedBy,
        causeEventId: request.metadata.eventId,
        decidedAt: at,
      },
    ]);
    return { event: merged, outcome: { status: 'done', detail: { survivorLeadId: survivorId, mergedLeadIds, clusterLeadIds: members } } };
  }

  private async unmerge(transaction: EntityManager, request: LeadUnmergeRequested, at: string): Promise<Decided<LeadUnmerged>> {
    const { rules } = this;
    const leadId = request.metadata.leadId;
    const { requestedBy } = request.data;
    const book = await identityStore.openClusters(transaction, [leadId], rules);
    if (!book.has(leadId)) return refused(`dedupe has not resolved lead ${leadId}`);
    const clusterId = book.clusterIdOf(leadId);
    const members = book.memberIdsOf(clusterId);
    if (clusterId === leadId) {
      return refused(
        members.length > 1
          ? `lead ${leadId} is the surviving lead of its cluster: unmerge the leads merged into it instead (${members.slice(1).join(', ')})`
          : `lead ${leadId} is not merged with any other lead`,
      );
    }
    book.split(leadId);
    const remaining = book.memberIdsOf(clusterId);
    const own = book.survivingRecord(leadId);
    const survivor = book.survivingRecord(clusterId);
    const unmerged = reactTo<LeadUnmerged>(request, 'dedupe.unmerge', {
      type: 'lead.unmerged',
      data: { formerSurvivorLeadId: clusterId, lead: own.lead, survivorLead: survivor.lead, clusterLeadIds: remaining, provenance: survivor.provenance, requestedBy },
      occurredAt: at,
    });
    await identityStore.save(transaction, book);
    // A person said these are different people: never joined again, not even through a lead that matches both.
    await reviewPairRepository.decide(
      transaction,
      remaining.map((other) => reviewPairOf(leadId, other)),
      { status: 'dismissed', ruleVersion: rules.version, at, by: requestedBy },
    );
    await identityStore.storeDecisions(transaction, [
      {
        decisionId: unmerged.metadata.eventId,
        kind: 'unmerge',
        clusterId,
        leadIds: [leadId],
        ruleVersion: rules.version,
        requestedBy,
        causeEventId: request.metadata.eventId,
        decidedAt: at,
      },
    ]);
    return { event: unmerged, outcome: { status: 'done', detail: { leadId, formerSurvivorLeadId: clusterId, clusterLeadIds: remaining } } };
  }
}

interface Decided<E> {
  readonly event?: E;
  readonly outcome: Pick<RequestOutcome, 'status' | 'detail'>;
}

function refused(reason: string): Decided<never> {
  return { outcome: { status: 'refused', detail: { reason } } };
}
