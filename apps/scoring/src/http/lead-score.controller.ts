import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

class LeadScoreView {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ example: 65 }) score!: number;
  @ApiProperty({ example: 'B' }) grade!: string;
  @ApiProperty({ enum: ['MQL', 'SQL'], isArray: true, description: 'Qualification stages the lead has reached' }) stages!: string[];
}

/** A lead's score, grade and qualification stages as scoring holds them (scoring.lead_score, scoring.qualification). */
@ApiTags('scores')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadScoreController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/score')
  @ApiOperation({ summary: "The lead's current score and grade, and the stages (MQL, SQL) it has reached" })
  @ApiResponse({ status: 200, type: LeadScoreView })
  @ApiResponse({ status: 404, description: 'scoring has not scored this lead' })
  async score(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<LeadScoreView> {
    // Column names spelled out: the consumers that write these tables may add columns of their own.
    const [scores, stages] = await Promise.all([
      this.dataSource.query(`SELECT score, grade FROM scoring.lead_score WHERE lead_id = $1`, [leadId]) as Promise<{ score: number; grade: string }[]>,
      this.dataSource.query(`SELECT stage FROM scoring.qualification WHERE lead_id = $1 ORDER BY stage`, [leadId]) as Promise<{ stage: string }[]>,
    ]);
    const row = scores[0];
    if (!row) throw new NotFoundException(`lead ${leadId} has not been scored`);
    return { leadId, score: row.score, grade: row.grade, stages: stages.map((qualification) => qualification.stage) };
  }
}
