import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, type LeadEnriched, type LeadMerged, type LeadResolved } from '@leadstream/contracts';
import type { MatchRules } from '@leadstream/domain-matching';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import { BatchResolution } from '../identity/batch-resolution';
import { identityStore } from '../identity/identity-store';
import { keyHashesOf, lockBucketsOf } from '../identity/lead-keys';
import { MATCH_RULES } from '../match-rules.provider';
import { resolutionRepository } from '../persistence/resolution.repository';
import { reviewPairRepository } from '../persistence/review-pair.repository';

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
    const events = batch.events.map(({ event }) => event);
    const { book, byKey } = await identityStore.open(batch.transaction, events.map((event) => keyHashesOf(event.data.lead)), this.rules);
    const resolution = new BatchResolution(book, byKey, this.rules, batch.now.toISOString());
    for (const event of events) resolution.resolve(event);
    await identityStore.save(batch.transaction, book);
    await reviewPairRepository.propose(batch.transaction, resolution.proposals);
    await identityStore.storeDecisions(batch.transaction, resolution.decisions);
    await resolutionRepository.store(batch.transaction, resolution.resolutions);
    return resolution.outgoing;
  }
}
