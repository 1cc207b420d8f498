import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { reactTo, TOPICS, type Assignee, type LeadAssigned, type LeadScored } from '@leadstream/contracts';
import { routeLead, type RoutingConfig } from '@leadstream/domain-routing';
import type { ConsumedEvent } from '@leadstream/platform-kafka';
import { ROUTING_CONFIG } from '../routing-config.provider';

interface StoredAssignment {
  lead_id: string;
  assignee_kind: 'rep' | 'queue';
  assignee_id: string;
  rule: string;
  score: number;
  grade: LeadAssigned['data']['grade'];
  cause_event_id: string;
}

const POOL = 'default';

/**
 * lead.scored -> lead.assigned. A lead gets one owner, ever (routing.assignment's primary key): a later
 * score of an assigned lead assigns nothing, a redelivered event re-emits the stored assignment.
 * The round-robin cursor row is locked for the batch, so several routing instances never hand two
 * leads the same turn.
 */
@Injectable()
export class LeadScoredConsumer {
  static readonly groupId = 'leadstream-routing';
  static readonly topics = [TOPICS.leadScored] as const;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROUTING_CONFIG) private readonly config: RoutingConfig,
  ) {}

  async handle(batch: readonly ConsumedEvent[]): Promise<LeadAssigned[]> {
    const scored = batch.map(({ event }) => event).filter((event): event is LeadScored => event.type === 'lead.scored');
    if (scored.length === 0) return [];
    const occurredAt = new Date().toISOString();

    return this.dataSource.transaction(async (manager) => {
      // Lock first, then read: assignments read under the lock are the latest any instance committed.
      let state = { nextRepIndex: await this.lockCursor(manager) };
      const existing = await this.loadAssignments(manager, scored);
      const created: StoredAssignment[] = [];
      const outgoing: LeadAssigned[] = [];

      for (const event of scored) {
        const leadId = event.metadata.leadId;
        let assignment = existing.get(leadId);
        if (assignment && assignment.cause_event_id !== event.metadata.eventId) continue; // already owned
        if (!assignment) {
          const decision = routeLead({ leadId, grade: event.data.grade, score: event.data.score, country: event.data.lead.country }, state, this.config);
          state = decision.nextState;
          assignment = {
            lead_id: leadId,
            assignee_kind: decision.assignee.kind,
            assignee_id: decision.assignee.kind === 'rep' ? decision.assignee.repId : decision.assignee.queueId,
            rule: decision.rule,
            score: event.data.score,
            grade: event.data.grade,
            cause_event_id: event.metadata.eventId,
          };
          existing.set(leadId, assignment);
          created.push(assignment);
        }
        outgoing.push(
          reactTo<LeadAssigned>(event, 'routing', {
            type: 'lead.assigned',
            data: { assignee: toAssignee(assignment), rule: assignment.rule, score: assignment.score, grade: assignment.grade },
            occurredAt,
          }),
        );
      }

      await this.storeAssignments(manager, created);
      await manager.query(`UPDATE routing.round_robin SET next_index = $2 WHERE pool = $1`, [POOL, state.nextRepIndex]);
      return outgoing;
    });
  }

  private async loadAssignments(manager: EntityManager, events: readonly LeadScored[]): Promise<Map<string, StoredAssignment>> {
    const rows: StoredAssignment[] = await manager.query(
      `SELECT lead_id, assignee_kind, assignee_id, rule, score, grade, cause_event_id FROM routing.assignment WHERE lead_id = ANY($1::uuid[])`,
      [events.map((event) => event.metadata.leadId)],
    );
    return new Map(rows.map((row) => [row.lead_id, row]));
  }

  private async lockCursor(manager: EntityManager): Promise<number> {
    await manager.query(`INSERT INTO routing.round_robin (pool, next_index) VALUES ($1, 0) ON CONFLICT (pool) DO NOTHING`, [POOL]);
    const rows: { next_index: number }[] = await manager.query(`SELECT next_index FROM routing.round_robin WHERE pool = $1 FOR UPDATE`, [POOL]);
    return rows[0]?.next_index ?? 0;
  }

  private async storeAssignments(manager: EntityManager, rows: readonly StoredAssignment[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO routing.assignment (lead_id, assignee_kind, assignee_id, rule, score, grade, cause_event_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::uuid[])`,
      [
        rows.map((row) => row.lead_id),
        rows.map((row) => row.assignee_kind),
        rows.map((row) => row.assignee_id),
        rows.map((row) => row.rule),
        rows.map((row) => row.score),
        rows.map((row) => row.grade),
        rows.map((row) => row.cause_event_id),
      ],
    );
  }
}

function toAssignee(row: StoredAssignment): Assignee {
  return row.assignee_kind === 'rep' ? { kind: 'rep', repId: row.assignee_id } : { kind: 'queue', queueId: row.assignee_id };
}
