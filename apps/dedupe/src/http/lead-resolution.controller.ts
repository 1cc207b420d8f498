import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

class LeadResolutionView {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ enum: ['new', 'merged'], description: "'merged' when the lead turned out to be a duplicate of an earlier one" }) outcome!: string;
  @ApiProperty({ format: 'uuid', description: 'The lead it lives on as: itself when new, the earlier lead when merged' }) survivingLeadId!: string;
  @ApiProperty({ type: [String], description: 'Later leads merged into this one' }) mergedLeadIds!: string[];
}

interface ResolutionRow {
  lead_id: string;
  master_lead_id: string;
  outcome: string;
}

/** How dedupe resolved a lead: new, or merged into which surviving lead, and which leads merged into it (dedupe.resolution). */
@ApiTags('resolutions')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadResolutionController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/resolution')
  @ApiOperation({ summary: 'Whether the lead was new or a duplicate, the lead it survives as, and the leads merged into it' })
  @ApiResponse({ status: 200, type: LeadResolutionView })
  @ApiResponse({ status: 404, description: 'dedupe has not resolved this lead' })
  async resolution(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<LeadResolutionView> {
    // Column names spelled out: the consumer that writes this table may add columns of its own.
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT lead_id, master_lead_id, outcome FROM dedupe.resolution WHERE lead_id = $1 OR master_lead_id = $1`,
      [leadId],
    )) as ResolutionRow[];
    const own = rows.find((row) => row.lead_id === leadId);
    if (!own) throw new NotFoundException(`lead ${leadId} has not been resolved by dedupe`);
    const merged = rows.filter((row) => row.master_lead_id === leadId && row.lead_id !== leadId).map((row) => row.lead_id);
    return { leadId, outcome: own.outcome, survivingLeadId: own.master_lead_id, mergedLeadIds: [...new Set(merged)].sort() };
  }
}
