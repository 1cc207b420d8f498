import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

class LeadEnrolmentsView {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ type: [String], example: ['welcome-series'], description: 'The nurture sequences the lead is enrolled in' }) sequences!: string[];
}

/** The nurture sequences a lead is enrolled in (nurture.enrolment). */
@ApiTags('enrolments')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadEnrolmentsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/enrolments')
  @ApiOperation({ summary: 'The nurture sequences the lead is enrolled in' })
  @ApiResponse({ status: 200, type: LeadEnrolmentsView })
  @ApiResponse({ status: 404, description: 'the lead is enrolled in no sequence' })
  async enrolments(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<LeadEnrolmentsView> {
    // Column names spelled out: the consumer that writes this table may add columns of its own.
    const rows = (await this.dataSource.query(`SELECT sequence_id FROM nurture.enrolment WHERE lead_id = $1 ORDER BY sequence_id`, [leadId])) as {
      sequence_id: string;
    }[];
    if (rows.length === 0) throw new NotFoundException(`lead ${leadId} is enrolled in no nurture sequence`);
    return { leadId, sequences: rows.map((row) => row.sequence_id) };
  }
}
