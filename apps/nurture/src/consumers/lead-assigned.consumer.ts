import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadAssigned, type NurtureEnrolled } from '@leadstream/contracts';
import { enrolInNurture } from '@leadstream/domain-nurture';
import type { StageBatch } from '@leadstream/platform-stage';
import { enrolmentRepository, type Enrolment } from '../persistence/enrolment.repository';

/** The sequence every nurture-queue lead enters until sequences are configurable. */
export const NURTURE_CONFIG = {
  sequenceId: process.env['NURTURE_SEQUENCE_ID'] ?? 'welcome',
  nurtureQueueId: process.env['ROUTING_NURTURE_QUEUE'] ?? 'nurture',
};

/** lead.assigned to the nurture queue -> an enrolment (once per lead and sequence) -> nurture.enrolled. A stage locked on the lead. */
@Controller()
export class LeadAssignedConsumer {
  @EventPattern(TOPICS.leadAssigned)
  async handle(@Payload() batch: StageBatch<LeadAssigned>): Promise<NurtureEnrolled[]> {
    const occurredAt = batch.now.toISOString();
    const events = batch.events.map(({ event }) => event);
    const enrolled = await enrolmentRepository.enrolledLeads(batch.transaction, events.map((event) => event.metadata.leadId), NURTURE_CONFIG.sequenceId);
    const created: Enrolment[] = [];
    const outgoing: NurtureEnrolled[] = [];

    for (const event of events) {
      const leadId = event.metadata.leadId;
      const decision = enrolInNurture({ leadId, assignee: event.data.assignee }, { enrolled: enrolled.has(leadId) }, NURTURE_CONFIG);
      if (!decision.enrol) continue;
      enrolled.add(leadId);
      created.push({ leadId, sequenceId: decision.sequenceId, queueId: NURTURE_CONFIG.nurtureQueueId, causeEventId: event.metadata.eventId });
      outgoing.push(
        reactTo<NurtureEnrolled>(event, 'nurture', { type: 'nurture.enrolled', data: { sequenceId: decision.sequenceId, queueId: NURTURE_CONFIG.nurtureQueueId }, occurredAt }),
      );
    }
    await enrolmentRepository.store(batch.transaction, created);
    return outgoing;
  }
}
