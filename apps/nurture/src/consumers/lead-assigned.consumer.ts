import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reactTo, TOPICS, type LeadAssigned, type NurtureEnrolled } from '@leadstream/contracts';
import { enrolInNurture } from '@leadstream/domain-nurture';
import type { ConsumedEvent } from '@leadstream/platform-kafka';

/** The sequence every nurture-queue lead enters until sequences are configurable (a later issue). */
export const NURTURE_CONFIG = {
  sequenceId: process.env['NURTURE_SEQUENCE_ID'] ?? 'welcome',
  nurtureQueueId: process.env['ROUTING_NURTURE_QUEUE'] ?? 'nurture',
};

interface Enrolment {
  lead_id: string;
  sequence_id: string;
  queue_id: string;
  cause_event_id: string;
}

/** lead.assigned to the nurture queue -> an enrolment (once per lead and sequence) -> nurture.enrolled. */
@Injectable()
export class LeadAssignedConsumer {
  static readonly groupId = 'leadstream-nurture';
  static readonly topics = [TOPICS.leadAssigned] as const;

  constructor(private readonly dataSource: DataSource) {}

  async handle(batch: readonly ConsumedEvent[]): Promise<NurtureEnrolled[]> {
    const assigned = batch.map(({ event }) => event).filter((event): event is LeadAssigned => event.type === 'lead.assigned');
    if (assigned.length === 0) return [];
    const occurredAt = new Date().toISOString();

    return this.dataSource.transaction(async (manager) => {
      const leadIds = assigned.map((event) => event.metadata.leadId);
      const rows: Enrolment[] = await manager.query(
        `SELECT lead_id, sequence_id, queue_id, cause_event_id FROM nurture.enrolment WHERE lead_id = ANY($1::uuid[]) AND sequence_id = $2`,
        [leadIds, NURTURE_CONFIG.sequenceId],
      );
      const enrolled = new Map(rows.map((row) => [row.lead_id, row]));
      const created: Enrolment[] = [];
      const outgoing: NurtureEnrolled[] = [];

      for (const event of assigned) {
        const leadId = event.metadata.leadId;
        let enrolment = enrolled.get(leadId);
        if (!enrolment) {
          const decision = enrolInNurture({ leadId, assignee: event.data.assignee }, { enrolled: false }, NURTURE_CONFIG);
          if (!decision.enrol) continue;
          enrolment = { lead_id: leadId, sequence_id: decision.sequenceId ?? NURTURE_CONFIG.sequenceId, queue_id: NURTURE_CONFIG.nurtureQueueId, cause_event_id: event.metadata.eventId };
          enrolled.set(leadId, enrolment);
          created.push(enrolment);
        } else if (enrolment.cause_event_id !== event.metadata.eventId) {
          continue; // enrolled earlier by another assignment
        }
        outgoing.push(
          reactTo<NurtureEnrolled>(event, 'nurture', {
            type: 'nurture.enrolled',
            data: { sequenceId: enrolment.sequence_id, queueId: enrolment.queue_id },
            occurredAt,
          }),
        );
      }

      if (created.length > 0) {
        await manager.query(
          `INSERT INTO nurture.enrolment (lead_id, sequence_id, queue_id, cause_event_id)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) ON CONFLICT DO NOTHING`,
          [created.map((row) => row.lead_id), created.map((row) => row.sequence_id), created.map((row) => row.queue_id), created.map((row) => row.cause_event_id)],
        );
      }
      return outgoing;
    });
  }
}
