import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { laneOfTopic, type Lane } from '@leadstream/contracts';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

export interface HistoryEntry {
  eventId: string;
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
  last_event_at: Date;
}

/** Lead data from the event log: every route needs a key with the `read` scope (it shows emails). */
@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadHistoryController {
  constructor(private readonly dataSource: DataSource) {}

  /** That lead's events in the order they happened, each with type, time, lane and data. */
  @Get(':id/history')
  @ApiOperation({ summary: "The lead's events in the order they happened, each with type, time, lane and data" })
  @ApiResponse({ status: 404, description: 'no events recorded for the lead' })
  async history(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<{ leadId: string; events: HistoryEntry[] }> {
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT event_id, type, version, occurred_at, recorded_at, correlation_id, causation_id, trace_id, topic, data
         FROM analytics.event_log WHERE lead_id = $1 ORDER BY occurred_at, seq`,
      [leadId],
    );
    if (rows.length === 0) throw new NotFoundException(`no events recorded for lead ${leadId}`);
    return {
      leadId,
      events: rows.map((row) => ({
        eventId: row.event_id,
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

  /** The lead's current state: score, grade, owner, status, merged-into id. */
  @Get(':id')
  @ApiOperation({ summary: "The lead's current state: score, grade, owner, status, merged-into id" })
  @ApiResponse({ status: 404, description: 'the lead is not known to analytics' })
  async lead(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<Record<string, unknown>> {
    const rows: LeadStateRow[] = await this.dataSource.query(
      `SELECT lead_id, status, email, score, grade, owner_kind, owner_id, merged_into, source, campaign, last_event_at
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
      source: row.source,
      campaign: row.campaign,
      lastEventAt: row.last_event_at.toISOString(),
    };
  }
}
