import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { laneOfTopic, type Lane } from '@leadstream/contracts';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

export interface HistoryEntry {
  eventId: string;
  /** The lead the event was logged under (its metadata.leadId): in a surviving lead's history, any lead of its cluster. */
  leadId: string;
  type: string;
  version: number;
  occurredAt: string;
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  traceId: string | null;
  /** `bulk` for an event of a CSV import or caused by one, `live` otherwise (docs/adr/0008-bulk-lane.md). */
  lane: Lane;
  data: unknown;
}

interface HistoryRow {
  event_id: string;
  lead_id: string;
  type: string;
  version: number;
  occurred_at: Date;
  recorded_at: Date;
  correlation_id: string;
  causation_id: string | null;
  trace_id: string | null;
  topic: string;
  data: unknown;
}

interface LeadStateRow {
  lead_id: string;
  status: string;
  email: string | null;
  score: number | null;
  grade: string | null;
  owner_kind: string | null;
  owner_id: string | null;
  merged_into: string | null;
  source: string | null;
  campaign: string | null;
  account_id: string | null;
  last_event_at: Date;
  canonical_lead_id: string;
}

/** How far a chain of merges (A into B into C...) is followed; a longer one (or a cycle) stops there. */
export const MAX_MERGE_DEPTH = 32;

/**
 * The lead's canonical lead: itself while it survives, else the lead at the end of its chain of
 * merged_into (A -> B -> C gives C). Cycle-safe: a lead already on the path is not followed again, and
 * the walk stops after MAX_MERGE_DEPTH merges. A chain ending in a lead analytics has no state for yet
 * ends at that lead's id (merged_into names it).
 */
const CANONICAL_LEAD_SQL = `
  WITH RECURSIVE chain (lead_id, merged_into, depth, path) AS (
    SELECT lead_id, merged_into, 0, ARRAY[lead_id] FROM analytics.lead_state WHERE lead_id = $1
    UNION ALL
    SELECT s.lead_id, s.merged_into, c.depth + 1, c.path || s.lead_id
      FROM chain c JOIN analytics.lead_state s ON s.lead_id = c.merged_into
     WHERE c.depth < ${MAX_MERGE_DEPTH} AND s.lead_id <> ALL (c.path)
  )
  SELECT CASE WHEN merged_into IS NULL OR merged_into = ANY (path) THEN lead_id ELSE merged_into END AS canonical_lead_id
    FROM chain ORDER BY depth DESC LIMIT 1`;

/**
 * The leads whose canonical lead is $1, $1 first: the leads merged into it, into those, and so on
 * (cycle-safe and depth-limited as above). Only asked of a surviving lead.
 */
const CLUSTER_SQL = `
  WITH RECURSIVE cluster (lead_id, depth, path) AS (
    SELECT $1::uuid, 0, ARRAY[$1::uuid]
    UNION ALL
    SELECT s.lead_id, c.depth + 1, c.path || s.lead_id
      FROM cluster c JOIN analytics.lead_state s ON s.merged_into = c.lead_id
     WHERE c.depth < ${MAX_MERGE_DEPTH} AND s.lead_id <> ALL (c.path)
  )
  SELECT lead_id FROM cluster ORDER BY depth, lead_id`;

/** Lead data from the event log: every route needs a key with the `read` scope (it shows emails). */
@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadHistoryController {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * That lead's events in the order they happened, each with type, time, lane and data. For a surviving
   * lead, the events of every lead of its cluster (the leads merged into it), each naming its lead; for
   * a merged lead, its own events and the lead.merged that absorbed it. `leadIds`: the leads whose events
   * it shows.
   */
  @Get(':id/history')
  @ApiOperation({
    summary: "The lead's events in the order they happened, each with its lead, type, time, lane and data",
    description:
      'For a surviving lead: the events of every lead merged into it too (its cluster, listed in leadIds). For a merged lead: its own events and the lead.merged that absorbed it.',
  })
  @ApiResponse({ status: 404, description: 'no events recorded for the lead' })
  async history(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<{ leadId: string; leadIds: string[]; events: HistoryEntry[] }> {
    const leadIds = await this.historyLeadsOf(leadId);
    // Each lead's own events and the events linked to it (a lead.merged that absorbed it, a lead.unmerged
    // that split a lead off it), each event once.
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT event_id, lead_id, type, version, occurred_at, recorded_at, correlation_id, causation_id, trace_id, topic, data
         FROM analytics.event_log
        WHERE event_id IN (SELECT event_id FROM analytics.event_log WHERE lead_id = ANY($1::uuid[])
                           UNION SELECT event_id FROM analytics.event_lead WHERE lead_id = ANY($1::uuid[]))
        ORDER BY occurred_at, seq`,
      [leadIds],
    );
    if (rows.length === 0) throw new NotFoundException(`no events recorded for lead ${leadId}`);
    return {
      leadId,
      leadIds,
      events: rows.map((row) => ({
        eventId: row.event_id,
        leadId: row.lead_id,
        type: row.type,
        version: row.version,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        correlationId: row.correlation_id,
        causationId: row.causation_id,
        traceId: row.trace_id,
        lane: laneOfTopic(row.topic),
        data: row.data,
      })),
    };
  }

  /** The leads whose events the history of `leadId` shows: its cluster while it survives, else itself. */
  private async historyLeadsOf(leadId: string): Promise<string[]> {
    const state: { merged_into: string | null }[] = await this.dataSource.query(`SELECT merged_into FROM analytics.lead_state WHERE lead_id = $1`, [leadId]);
    if (state[0]?.merged_into) return [leadId];
    const cluster: { lead_id: string }[] = await this.dataSource.query(CLUSTER_SQL, [leadId]);
    return cluster.map((row) => row.lead_id);
  }

  /** The lead's current state: score, grade, owner, status, merged-into id, canonical lead, account. */
  @Get(':id')
  @ApiOperation({
    summary: "The lead's current state: score, grade, owner, status, merged-into id, canonical lead id, account id",
    description: 'canonicalLeadId: the lead itself while it survives, else the surviving lead it was merged into (following merges of merges).',
  })
  @ApiResponse({ status: 404, description: 'the lead is not known to analytics' })
  async lead(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<Record<string, unknown>> {
    const rows: LeadStateRow[] = await this.dataSource.query(
      `SELECT lead_id, status, email, score, grade, owner_kind, owner_id, merged_into, source, campaign, account_id, last_event_at,
              (${CANONICAL_LEAD_SQL}) AS canonical_lead_id
         FROM analytics.lead_state WHERE lead_id = $1`,
      [leadId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundException(`lead ${leadId} is not known to analytics`);
    return {
      leadId: row.lead_id,
      status: row.status,
      email: row.email,
      score: row.score,
      grade: row.grade,
      owner: row.owner_kind ? { kind: row.owner_kind, id: row.owner_id } : null,
      mergedInto: row.merged_into,
      canonicalLeadId: row.canonical_lead_id,
      accountId: row.account_id,
      source: row.source,
      campaign: row.campaign,
      lastEventAt: row.last_event_at.toISOString(),
    };
  }
}
