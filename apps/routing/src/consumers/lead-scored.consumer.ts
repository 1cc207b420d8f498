import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { reactTo, TOPICS, type LeadAssigned, type LeadScored } from '@leadstream/contracts';
import { routeLead, type RoutingConfig } from '@leadstream/domain-routing';
import type { StageBatch } from '@leadstream/platform-stage';
import { assignmentRepository, type Assignment } from '../persistence/assignment.repository';
import { ROUTING_CONFIG } from '../routing-config.provider';

const POOL = 'default';

/**
 * lead.scored -> lead.assigned. A lead gets one owner, ever: a later score of an assigned lead assigns
 * nothing. A stage locked on the lead; the round-robin cursor row is locked too, so replicas never hand
 * two leads the same turn.
 */
@Controller()
export class LeadScoredConsumer {
  constructor(@Inject(ROUTING_CONFIG) private readonly config: RoutingConfig) {}

  @EventPattern(TOPICS.leadScored)
  async handle(@Payload() batch: StageBatch<LeadScored>): Promise<LeadAssigned[]> {
    const occurredAt = batch.now.toISOString();
    const events = batch.events.map(({ event }) => event);
    const assigned = await assignmentRepository.assignedLeads(batch.transaction, events.map((event) => event.metadata.leadId));
    if (events.every((event) => assigned.has(event.metadata.leadId))) return [];
    let state = { nextRepIndex: await assignmentRepository.lockCursor(batch.transaction, POOL) };
    const created: Assignment[] = [];
    const outgoing: LeadAssigned[] = [];

    for (const event of events) {
      const leadId = event.metadata.leadId;
      if (assigned.has(leadId)) continue;
      const { score, grade } = event.data;
      const decision = routeLead({ leadId, grade, score, country: event.data.lead.country }, state, this.config);
      state = decision.nextState;
      assigned.add(leadId);
      created.push({ leadId, assignee: decision.assignee, rule: decision.rule, score, grade, causeEventId: event.metadata.eventId });
      outgoing.push(reactTo<LeadAssigned>(event, 'routing', { type: 'lead.assigned', data: { assignee: decision.assignee, rule: decision.rule, score, grade }, occurredAt }));
    }

    await assignmentRepository.store(batch.transaction, created);
    await assignmentRepository.storeCursor(batch.transaction, POOL, state.nextRepIndex);
    return outgoing;
  }
}
