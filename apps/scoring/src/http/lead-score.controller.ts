import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ScoreReason } from '@leadstream/contracts';
import { DataSource } from 'typeorm';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

class ScoreReasonView {
  @ApiProperty({ example: 'email-opened-twice', description: 'The rule id' }) rule!: string;
  @ApiProperty({ example: 5, description: 'Its points (engagement: after decay and cap)' }) points!: number;
  @ApiPropertyOptional({ enum: ['fit', 'engagement'] }) kind?: 'fit' | 'engagement';
  @ApiPropertyOptional({ example: { seniority: 'vp' }, description: 'Fit: the fields the rule tested and the values the lead has' }) fields?: Record<string, string | number | boolean | null>;
  @ApiPropertyOptional({ type: [String], description: 'Engagement: the activity.recorded event ids it counted (most recent first, at most 20)' }) activityIds?: string[];
  @ApiPropertyOptional({ description: 'Engagement: how many activities it counted' }) activityCount?: number;
  @ApiPropertyOptional({ description: 'Points before decay and cap, when they differ' }) uncapped?: number;
}

class LeadScoreView {
  @ApiProperty({ format: 'uuid', description: 'The lead asked about' }) leadId!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Set when the lead was merged into another: the surviving lead, whose score this is' }) mergedInto?: string;
  @ApiProperty({ example: 62 }) score!: number;
  @ApiProperty({ example: 'B' }) grade!: string;
  @ApiProperty({ example: '1', description: 'The rule-set version it was scored with' }) ruleSetVersion!: string;
  @ApiProperty({ enum: ['MQL', 'SQL'], isArray: true, description: 'Qualification stages the lead has reached' }) stages!: string[];
  @ApiProperty({ type: [ScoreReasonView], nullable: true, description: 'Each rule that gave points, and the fields or activities that earned them; null for a score stored before scoring kept its reasons' })
  reasons!: ScoreReason[] | null;
  @ApiProperty({ format: 'date-time', description: 'When it was scored' }) scoredAt!: string;
}

interface ScoreRow {
  readonly score: number;
  readonly grade: string;
  readonly rule_set_version: string;
  readonly reasons: ScoreReason[] | null;
  readonly updated_at: Date;
}

/**
 * "Why is this lead 62?": a lead's score, grade, rule-set version, stages and the reasons of its last
 * score (scoring.lead_score, scoring.qualification). A lead merged into another has no score of its own
 * any more: the answer is the surviving lead's, with `mergedInto` naming it.
 */
@ApiTags('scores')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadScoreController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/score')
  @ApiOperation({ summary: "The lead's current score and grade, the stages (MQL, SQL) it has reached, and each rule's points with what earned them" })
  @ApiResponse({ status: 200, type: LeadScoreView, description: 'For a lead merged into another: the score of the surviving lead, with mergedInto' })
  @ApiResponse({ status: 404, description: 'scoring has not scored this lead' })
  async score(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<LeadScoreView> {
    const [cluster] = (await this.dataSource.query(`SELECT cluster_id FROM scoring.lead WHERE lead_id = $1`, [leadId])) as { cluster_id: string }[];
    const scoredId = cluster === undefined ? leadId : cluster.cluster_id;
    // Column names spelled out: the consumers that write these tables may add columns of their own.
    const [scores, stages] = await Promise.all([
      this.dataSource.query(`SELECT score, grade, rule_set_version, reasons, updated_at FROM scoring.lead_score WHERE lead_id = $1`, [scoredId]) as Promise<ScoreRow[]>,
      this.dataSource.query(`SELECT stage FROM scoring.qualification WHERE lead_id = $1 ORDER BY stage`, [scoredId]) as Promise<{ stage: string }[]>,
    ]);
    const row = scores[0];
    if (!row) throw new NotFoundException(`lead ${leadId} has not been scored`);
    return {
      leadId,
      ...(scoredId === leadId ? {} : { mergedInto: scoredId }),
      score: row.score,
      grade: row.grade,
      ruleSetVersion: row.rule_set_version,
      stages: stages.map((qualification) => qualification.stage),
      reasons: row.reasons,
      scoredAt: row.updated_at.toISOString(),
    };
  }
}
