import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTIVITY_KINDS } from '@leadstream/contracts';
import { FieldErrorDto } from '../leads/lead.dto';

// Documentation of the bodies for OpenAPI; validation is validateActivityInput (@leadstream/domain-intake).

/** One behaviour of a lead, named by leadId or by email (exactly one of them). */
export class ActivityDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The lead, by id (or give email)' }) leadId?: string;
  @ApiPropertyOptional({ example: 'ada@example.org', description: 'The lead, by email (or give leadId); resolved to the master lead downstream' })
  email?: string;
  @ApiProperty({ enum: ACTIVITY_KINDS, example: 'page_visited' }) kind!: string;
  @ApiPropertyOptional({ example: '2026-11-23T14:05:00Z', description: 'When it happened (ISO-8601); default now; at most 5 minutes ahead' })
  at?: string;
  @ApiPropertyOptional({ example: 'https://www.example.com/pricing', description: 'Required for page_visited; http(s)', maxLength: 2048 })
  url?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { subject: 'Spring launch' }, description: 'Up to 20 text entries' })
  detail?: Record<string, string>;
}

export class ActivityBatchDto {
  @ApiProperty({ type: () => [ActivityDto], maxItems: 1000, minItems: 1 }) activities!: ActivityDto[];
}

export class ActivityRecordedDto {
  @ApiProperty({ format: 'uuid', description: 'Id of the activity.recorded event' }) eventId!: string;
  @ApiProperty({ format: 'uuid', description: 'The lead id, or for an email-identified activity the name-based id of that email' }) leadId!: string;
}

export class ActivityItemResultDto {
  @ApiProperty() index!: number;
  @ApiPropertyOptional({ format: 'uuid' }) eventId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) leadId?: string;
  @ApiPropertyOptional({ type: () => [FieldErrorDto] }) errors?: FieldErrorDto[];
}

export class ActivityBatchResultDto {
  @ApiProperty({ type: () => [ActivityItemResultDto] }) results!: ActivityItemResultDto[];
  @ApiProperty() accepted!: number;
  @ApiProperty() rejected!: number;
}
