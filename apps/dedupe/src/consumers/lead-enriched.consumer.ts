import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadEnriched, type LeadResolved } from '@leadstream/contracts';
import { matchKey, resolveLead } from '@leadstream/domain-matching';
import { lockOn, type StageBatch } from '@leadstream/platform-stage';
import { identityRepository, type Resolution } from '../persistence/identity.repository';

/**
 * lead.enriched -> lead.resolved (new | merged). A stage locked on the match key, so two leads with the
 * same mailbox arriving at once in two lanes or two replicas are resolved one after the other: the
 * second sees the first as its master. Each match key's master is claimed by the first lead carrying it.
 */
@Controller()
export class LeadEnrichedConsumer {
  @EventPattern(TOPICS.leadEnriched, lockOn<LeadEnriched>((event) => [matchKey(event.data.lead)]))
  async handle(@Payload() batch: StageBatch<LeadEnriched>): Promise<LeadResolved[]> {
    const occurredAt = batch.now.toISOString();
    const events = batch.events.map(({ event }) => event);
    const masters = await identityRepository.claimMasters(batch.transaction, events.map((event) => ({ matchKey: matchKey(event.data.lead), leadId: event.metadata.leadId })));

    const resolutions: Resolution[] = [];
    const outgoing = events.map((event) => {
      const decision = resolveLead({ lead: event.data.lead, leadId: event.metadata.leadId }, { masterLeadIdForEmail: masters.get(matchKey(event.data.lead)) });
      resolutions.push({ inputEventId: event.metadata.eventId, leadId: event.metadata.leadId, ...decision });
      return reactTo<LeadResolved>(event, 'dedupe', {
        type: 'lead.resolved',
        data: { outcome: decision.outcome, masterLeadId: decision.masterLeadId, ...(decision.matchedOn ? { matchedOn: decision.matchedOn } : {}), lead: event.data.lead },
        occurredAt,
      });
    });
    await identityRepository.storeResolutions(batch.transaction, resolutions);
    return outgoing;
  }
}
