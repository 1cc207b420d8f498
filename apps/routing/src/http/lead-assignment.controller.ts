import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { RequireScope } from '@leadstream/platform-access';
import { LEAD_ID_PIPE } from '@leadstream/platform-service';

class AssigneeView {
  @ApiProperty({ enum: ['rep', 'queue'] }) kind!: string;
  @ApiProperty({ example: 'rep-1' }) id!: string;
}

class LeadAssignmentView {
  @ApiProperty({ format: 'uuid' }) leadId!: string;
  @ApiProperty({ type: () => AssigneeView }) assignee!: AssigneeView;
}

/** Who a lead was assigned to (routing.assignment). */
@ApiTags('assignments')
@ApiBearerAuth()
@Controller('v1/leads')
@RequireScope('read')
export class LeadAssignmentController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id/assignment')
  @ApiOperation({ summary: 'The rep or queue the lead was assigned to' })
  @ApiResponse({ status: 200, type: LeadAssignmentView })
  @ApiResponse({ status: 404, description: 'routing has not assigned this lead' })
  async assignment(@Param('id', LEAD_ID_PIPE) leadId: string): Promise<LeadAssignmentView> {
    // Column names spelled out: the consumer that writes this table may add columns of its own.
    const rows = (await this.dataSource.query(`SELECT assignee_kind, assignee_id FROM routing.assignment WHERE lead_id = $1`, [leadId])) as {
      assignee_kind: string;
      assignee_id: string;
    }[];
    const row = rows[0];
    if (!row) throw new NotFoundException(`lead ${leadId} has not been assigned`);
    return { leadId, assignee: { kind: row.assignee_kind, id: row.assignee_id } };
  }
}
