import { Injectable } from '@nestjs/common';
import { reactTo, TOPICS, type LeadEnriched } from '@leadstream/contracts';
import { enrichLead } from '@leadstream/domain-enrichment';
import type { ConsumedEvent } from '@leadstream/platform-kafka';

/**
 * lead.received -> lead.enriched. Enrichment is a pure function of the received lead, so a redelivered
 * event yields the same enriched event with the same derived id: nothing to store to stay idempotent.
 */
@Injectable()
export class LeadReceivedConsumer {
  static readonly groupId = 'leadstream-enrichment';
  static readonly topics = [TOPICS.leadReceived] as const;

  async handle(batch: readonly ConsumedEvent[]): Promise<LeadEnriched[]> {
    const occurredAt = new Date().toISOString();
    const enriched: LeadEnriched[] = [];
    for (const { event } of batch) {
      if (event.type !== 'lead.received') continue;
      enriched.push(
        reactTo<LeadEnriched>(event, 'enrichment', {
          type: 'lead.enriched',
          data: { lead: enrichLead(event.data.lead) },
          occurredAt,
        }),
      );
    }
    return enriched;
  }
}
