import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadEnriched, type LeadReceived } from '@leadstream/contracts';
import { enrichLead } from '@leadstream/domain-enrichment';
import type { StageBatch } from '@leadstream/platform-stage';

/**
 * lead.received -> lead.enriched. Enrichment keeps no state yet; as a stage, a redelivered event still
 * yields the enriched event first published (same occurredAt), from the inbox.
 */
@Controller()
export class LeadReceivedConsumer {
  @EventPattern(TOPICS.leadReceived)
  async handle(@Payload() batch: StageBatch<LeadReceived>): Promise<LeadEnriched[]> {
    const occurredAt = batch.now.toISOString();
    return batch.events.map(({ event }) => reactTo<LeadEnriched>(event, 'enrichment', { type: 'lead.enriched', data: { lead: enrichLead(event.data.lead) }, occurredAt }));
  }
}
