import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@leadstream/contracts';
import type { MatchRules } from '@leadstream/domain-matching';
import { RequireScope, type AuthenticatedRequest } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';
import { DataSource } from 'typeorm';
import { MATCH_RULES } from '../match-rules.provider';
import { leadRecordRepository } from '../persistence/lead-record.repository';
import { requestOutcomeRepository } from '../persistence/request-outcome.repository';
import { reviewPairRepository } from '../persistence/review-pair.repository';
import { answer, MergeRequestPublisher, requesterOf } from './merge-request.publisher';

const MAX_MANUAL_MERGE = 50;

interface ResolutionRow {
  outcome: 'new' | 'merged';
  master_lead_id: string;
  matched_on: string | null;
  rule_version: string | null;
  score: number | null;
  features: unknown;
  resolved_at: Date;
}

interface DecisionRow {
  decision_id: string;
  kind: string;
  cluster_id: string;
  lead_ids: string[];
  rule_version: string;
  score: number | null;
  features: unknown;
  requested_by: string | null;
  decided_at: Date;
}

/** A lead's identity: its cluster, how it was resolved and why, every merge and unmerge it took part in; and the requests that change them. */
@ApiTags('resolutions')
@ApiBearerAuth()
@Controller()
export class LeadResolutionController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: MergeRequestPublisher,
    @Inject(MATCH_RULES) private readonly rules: MatchRules,
  ) {}

  @Get('v1/leads/:id/resolution')
  @RequireScope('read')
  @ApiOperation({ summary: 'The lead it survives as, its cluster, how it was resolved (rules version, score, features), its merges, unmerges and review pairs' })
  @ApiResponse({ status: 404, description: 'dedupe has not resolved this lead' })
  async resolution(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<Record<string, unknown>> {
    const manager = this.dataSource.manager;
    const own = (await leadRecordRepository.load(manager, [leadId])).get(leadId);
    if (!own) throw new NotFoundException(`lead ${leadId} has not been resolved by dedupe`);
    const cluster: { lead_id: string }[] = await manager.query(`SELECT lead_id FROM dedupe.lead_record WHERE cluster_id = $1 ORDER BY received_at, lead_id`, [own.clusterId]);
    const resolved: ResolutionRow[] = await manager.query(
      `SELECT outcome, master_lead_id, matched_on, rule_version, score, features, resolved_at FROM dedupe.resolution WHERE lead_id = $1 ORDER BY resolved_at`,
      [leadId],
    );
    const decisions: DecisionRow[] = await manager.query(
      `SELECT decision_id, kind, cluster_id, lead_ids, rule_version, score, features, requested_by, decided_at
         FROM dedupe.merge_decision WHERE lead_ids @> ARRAY[$1]::uuid[] OR cluster_id = $1 ORDER BY decided_at, decision_id`,
      [leadId],
    );
    const pairs = await reviewPairRepository.ofLeads(manager, [leadId]);
    const first = resolved[0];
    return {
      leadId,
      survivingLeadId: own.clusterId,
      merged: own.clusterId !== leadId,
      // The same field as before clusters: the leads merged into this one, when it survives.
      mergedLeadIds: own.clusterId === leadId ? cluster.map((row) => row.lead_id).filter((id) => id !== leadId) : [],
      clusterLeadIds: [own.clusterId, ...cluster.map((row) => row.lead_id).filter((id) => id !== own.clusterId)],
      outcome: first?.outcome ?? 'new',
      // No resolution row: nothing shared a key with it when it arrived, so it was new without a comparison.
      resolvedAs: first
        ? {
            outcome: first.outcome,
            intoLeadId: first.master_lead_id,
            matchedOn: first.matched_on,
            ruleSetVersion: first.rule_version,
            score: first.score,
            features: first.features,
            at: first.resolved_at.toISOString(),
          }
        : { outcome: 'new', intoLeadId: leadId, matchedOn: null, ruleSetVersion: this.rules.version, score: null, features: [], at: own.receivedAt, note: 'no known lead shared a key with it' },
      decisions: decisions.map((row) => ({
        decisionId: row.decision_id,
        kind: row.kind,
        survivingLeadId: row.cluster_id,
        leadIds: row.lead_ids,
        ruleSetVersion: row.rule_version,
        score: row.score,
        features: row.features,
        requestedBy: row.requested_by,
        at: row.decided_at.toISOString(),
      })),
      reviewPairs: pairs.map((pair) => ({ pairId: pair.pairId, otherLeadId: pair.leadA === leadId ? pair.leadB : pair.leadA, score: pair.score, status: pair.status })),
    };
  }

  @Post('v1/leads/:id/unmerge')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Split the lead off the cluster it was merged into: it lives on with its own fields and history (lead.unmerged), and is never merged with those leads again' })
  @ApiResponse({ status: 200, description: 'split: the lead, the former surviving lead, the leads left with it' })
  @ApiResponse({ status: 202, description: 'accepted; the answer is at /v1/merge-requests/:requestId' })
  @ApiResponse({ status: 404, description: 'dedupe has not resolved this lead' })
  @ApiResponse({ status: 409, description: 'the lead is not merged, or it is the surviving lead of its cluster' })
  async unmerge(@Param('id', LEAD_ID_PIPE) leadId: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: { status(code: number): unknown }): Promise<Record<string, unknown>> {
    const own = (await leadRecordRepository.load(this.dataSource.manager, [leadId])).get(leadId);
    if (!own) throw new NotFoundException(`lead ${leadId} has not been resolved by dedupe`);
    if (own.clusterId === leadId) {
      const others: { lead_id: string }[] = await this.dataSource.query(`SELECT lead_id FROM dedupe.lead_record WHERE cluster_id = $1 AND lead_id <> $1 ORDER BY received_at`, [leadId]);
      throw new ConflictException(
        others.length > 0
          ? `lead ${leadId} is the surviving lead of its cluster: unmerge the leads merged into it instead (${others.map((row) => row.lead_id).join(', ')})`
          : `lead ${leadId} is not merged with any other lead`,
      );
    }
    return answer(await this.requests.unmerge(leadId, requesterOf(request)), response);
  }

  @Post('v1/leads/:id/merge')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge known leads into one by hand: { "with": [leadId, ...] }; the lead that arrived first survives' })
  @ApiBody({ schema: { type: 'object', required: ['with'], properties: { with: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: MAX_MANUAL_MERGE } } } })
  @ApiResponse({ status: 200, description: 'merged: the surviving lead, the leads merged into it, the cluster' })
  @ApiResponse({ status: 202, description: 'accepted; the answer is at /v1/merge-requests/:requestId' })
  @ApiResponse({ status: 404, description: 'a lead dedupe has not resolved' })
  @ApiResponse({ status: 409, description: 'the leads are already one' })
  async merge(
    @Param('id', LEAD_ID_PIPE) leadId: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ): Promise<Record<string, unknown>> {
    const others = (body as { with?: unknown } | undefined)?.with;
    if (!Array.isArray(others) || others.length === 0 || others.length > MAX_MANUAL_MERGE) {
      throw new BadRequestException(`with must be a list of 1 to ${MAX_MANUAL_MERGE} lead ids to merge with lead ${leadId}`);
    }
    others.forEach((other, index) => {
      if (!isUuid(other)) throw new BadRequestException(`with[${index}] must be a lead id (a lower-case UUID), got ${JSON.stringify(other)}`);
    });
    const leadIds = [...new Set([leadId, ...(others as string[])])];
    if (leadIds.length < 2) throw new BadRequestException(`with must name a lead other than ${leadId}`);
    const known = await leadRecordRepository.load(this.dataSource.manager, leadIds);
    const unknown = leadIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new NotFoundException(`dedupe has not resolved lead(s) ${unknown.join(', ')}`);
    if (new Set([...known.values()].map((record) => record.clusterId)).size < 2) throw new ConflictException(`leads ${leadIds.join(', ')} are already one lead`);
    return answer(await this.requests.merge(leadIds, requesterOf(request)), response);
  }

  @Get('v1/merge-requests/:id')
  @RequireScope('read')
  @ApiOperation({ summary: 'What became of a merge or unmerge request that answered 202' })
  @ApiResponse({ status: 404, description: 'no outcome yet (or no such request)' })
  async request(@Param('id', new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the request id must be a UUID') })) requestId: string): Promise<Record<string, unknown>> {
    const outcome = await requestOutcomeRepository.get(this.dataSource.manager, requestId);
    if (!outcome) throw new NotFoundException(`request ${requestId} has no outcome yet (or does not exist)`);
    return { requestId, status: outcome.status, decidedAt: outcome.decidedAt, ...outcome.detail };
  }

  @Get('v1/match-rules')
  @RequireScope('read')
  @ApiOperation({ summary: 'The active match rules: version, thresholds, weights, survivorship' })
  matchRules(): MatchRules {
    return this.rules;
  }
}
