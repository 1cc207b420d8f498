import { BadRequestException, Controller, Get, HttpCode, NotFoundException, ConflictException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { EnrichedLead } from '@leadstream/contracts';
import { RequireScope, type AuthenticatedRequest } from '@leadstream/platform-access';
import { DataSource } from 'typeorm';
import { leadRecordRepository } from '../persistence/lead-record.repository';
import { reviewPairRepository, type ReviewPair } from '../persistence/review-pair.repository';
import { answer, MergeRequestPublisher, requesterOf } from './merge-request.publisher';

const PAIR_ID_PIPE = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('the review pair id must be a UUID') });
const MAX_PAGE = 200;

/** The fields a reviewer compares, in the order shown. */
const COMPARED_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'company', 'companyDomain', 'title', 'country', 'source', 'campaign'] as const;

export interface FieldDifference {
  readonly field: string;
  readonly left: string | null;
  readonly right: string | null;
}

/** The compared fields whose values differ (ignoring case and surrounding space). */
export function differences(left: EnrichedLead | undefined, right: EnrichedLead | undefined): FieldDifference[] {
  const text = (lead: EnrichedLead | undefined, field: (typeof COMPARED_FIELDS)[number]): string | null => {
    const value = lead?.[field];
    return typeof value === 'string' && value.trim() !== '' ? value : null;
  };
  return COMPARED_FIELDS.flatMap((field) => {
    const a = text(left, field);
    const b = text(right, field);
    return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase() ? [] : [{ field, left: a, right: b }];
  });
}

/** The review queue: pairs scored between the two thresholds, waiting for a person to merge or dismiss them. */
@ApiTags('duplicates')
@ApiBearerAuth()
@Controller('v1/duplicates')
export class DuplicatesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: MergeRequestPublisher,
  ) {}

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'Pending review pairs, oldest first: both leads, the score, the features compared and the fields that differ' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_PAGE}, default 50` })
  @ApiQuery({ name: 'after', required: false, description: 'the last pairId of the previous page' })
  async pending(@Query('limit') limitText?: string, @Query('after') after?: string): Promise<{ pairs: Record<string, unknown>[]; next: string | null }> {
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new BadRequestException(`limit must be an integer from 1 to ${MAX_PAGE}, got ${JSON.stringify(limitText)}`);
    let cursor: ReviewPair | undefined;
    if (after !== undefined) {
      cursor = await reviewPairRepository.get(this.dataSource.manager, pairIdOf(after));
      if (!cursor) throw new BadRequestException(`after names no review pair: ${after}`);
    }
    const pairs = await reviewPairRepository.pending(this.dataSource.manager, limit, cursor);
    const leads = await leadRecordRepository.load(this.dataSource.manager, pairs.flatMap((pair) => [pair.leadA, pair.leadB]));
    return {
      pairs: pairs.map((pair) => {
        const left = leads.get(pair.leadA);
        const right = leads.get(pair.leadB);
        return {
          pairId: pair.pairId,
          score: pair.score,
          ruleVersion: pair.ruleVersion,
          createdAt: pair.createdAt,
          leads: [
            { leadId: pair.leadA, clusterId: left?.clusterId ?? null, lead: left?.lead ?? null },
            { leadId: pair.leadB, clusterId: right?.clusterId ?? null, lead: right?.lead ?? null },
          ],
          differences: differences(left?.lead, right?.lead),
          features: pair.features,
        };
      }),
      next: pairs.length === limit ? (pairs[pairs.length - 1]?.pairId ?? null) : null,
    };
  }

  @Post(':id/merge')
  @RequireScope('admin')
  @ApiOperation({ summary: 'Merge a pending pair: the two leads (and their clusters) become one; lead.merged says which value came from which lead' })
  @ApiResponse({ status: 200, description: 'merged: the surviving lead, the leads merged into it, the cluster' })
  @ApiResponse({ status: 202, description: 'accepted; the answer is at /v1/merge-requests/:requestId' })
  @ApiResponse({ status: 404, description: 'no such pair' })
  @ApiResponse({ status: 409, description: 'the pair was already merged or dismissed, or its leads are already one' })
  @HttpCode(200)
  async merge(@Param('id', PAIR_ID_PIPE) pairId: string, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: { status(code: number): unknown }): Promise<Record<string, unknown>> {
    const pair = await this.pendingPair(pairId);
    return answer(await this.requests.merge([pair.leadA, pair.leadB], requesterOf(request), pairId), response);
  }

  @Post(':id/dismiss')
  @RequireScope('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismiss a pending pair: the two leads are different people, never proposed or merged automatically again' })
  @ApiResponse({ status: 404, description: 'no such pair' })
  @ApiResponse({ status: 409, description: 'the pair was already merged or dismissed' })
  async dismiss(@Param('id', PAIR_ID_PIPE) pairId: string, @Req() request: AuthenticatedRequest): Promise<Record<string, unknown>> {
    await this.pendingPair(pairId);
    const rows: { decided_at: Date }[] = await this.dataSource.query(
      `WITH dismissed AS (
         UPDATE dedupe.review_pair SET status = 'dismissed', decided_at = now(), decided_by = $2 WHERE pair_id = $1 AND status = 'pending' RETURNING decided_at
       ) SELECT decided_at FROM dismissed`,
      [pairId, requesterOf(request)],
    );
    if (rows.length === 0) await this.pendingPair(pairId); // decided meanwhile: 409 naming how
    return { pairId, status: 'dismissed', decidedAt: rows[0]?.decided_at.toISOString(), decidedBy: requesterOf(request) };
  }

  private async pendingPair(pairId: string): Promise<ReviewPair> {
    const pair = await reviewPairRepository.get(this.dataSource.manager, pairId);
    if (!pair) throw new NotFoundException(`review pair ${pairId} does not exist`);
    if (pair.status !== 'pending') throw new ConflictException(`review pair ${pairId} was already ${pair.status}${pair.decidedBy ? ` by ${pair.decidedBy}` : ''}${pair.decidedAt ? ` at ${pair.decidedAt}` : ''}`);
    return pair;
  }
}

function pairIdOf(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new BadRequestException(`after must be a review pair id (a UUID), got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}
