import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { IntakeRules } from '@leadstream/domain-intake';
import { EventPublisher } from '@leadstream/platform-kafka';
import { RequireScope } from '@leadstream/platform-access';
import { reportRejection } from '../rejections';
import { INTAKE_RULES } from './intake-rules.provider';
import { BadRequestDto, LeadAcceptedDto, LeadBatchDto, LeadBatchResultDto, LeadDto } from './lead.dto';
import { badRequestBody, takeInLead } from './lead-intake';
import { publishAcknowledged, type HeaderSink } from './publish-acknowledged';

/** Most leads one batch call may carry. */
export const MAX_BATCH_LEADS = 1000;

type BatchItemResult = { index: number; leadId: string } | { index: number; errors: { field: string; message: string }[] };

function describeBody(body: unknown): string {
  if (body === undefined) return 'no JSON body (send Content-Type: application/json)';
  if (body === null) return 'null';
  return Array.isArray(body) ? 'an array' : typeof body;
}

/** Checks the batch envelope `{ "leads": [...] }`; the items themselves are validated one by one. */
function leadsOf(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`(body): expected { "leads": [ ... ] }, got ${describeBody(body)}`], fields: ['(body)'] });
  }
  const unknown = Object.keys(body).filter((key) => key !== 'leads');
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 10).map((key) => (key.length > 64 ? `${key.slice(0, 64)}...` : key));
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: shown.map((key) => `${key}: unknown field "${key}"; a batch is { "leads": [ ... ] }`),
      fields: shown,
    });
  }
  const leads = (body as { leads?: unknown }).leads;
  if (!Array.isArray(leads)) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`leads: must be an array of leads, got ${describeBody(leads)}`], fields: ['leads'] });
  }
  if (leads.length === 0) {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['leads: must hold at least one lead'], fields: ['leads'] });
  }
  if (leads.length > MAX_BATCH_LEADS) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: [`leads: a batch holds at most ${MAX_BATCH_LEADS} leads, got ${leads.length}; split it into several calls`],
      fields: ['leads'],
    });
  }
  return leads;
}

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
export class LeadsController {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(INTAKE_RULES) private readonly rules: IntakeRules,
  ) {}

  /** Answers 202 only once Kafka acknowledged the lead.received event (acks -1); 503 otherwise. */
  @Post()
  @HttpCode(202)
  @RequireScope('ingest')
  @ApiOperation({ summary: 'Submit one lead', description: 'Validated with the configured intake rules. A refused lead is answered 400 and reported as lead.rejected (channel api).' })
  @ApiBody({ type: LeadDto })
  @ApiResponse({ status: 202, type: LeadAcceptedDto, description: 'Kafka acknowledged lead.received' })
  @ApiBadRequestResponse({ type: BadRequestDto, description: 'Malformed JSON, wrong types, unknown fields, invalid values: each named' })
  @ApiServiceUnavailableResponse({ description: 'Kafka did not acknowledge; retry after Retry-After seconds' })
  async create(
    @Body() body: unknown,
    @Headers('referer') referer: string | undefined,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<{ leadId: string }> {
    const intake = takeInLead(body, { channel: 'api', rules: this.rules, ...(referer === undefined ? {} : { refererHeader: referer }) });
    if (!intake.ok) {
      await reportRejection(this.publisher, intake.event);
      const errors = body === undefined ? [{ field: '(body)', message: `expected a JSON object of lead fields, got ${describeBody(body)}` }] : intake.errors;
      throw new BadRequestException(badRequestBody(errors));
    }
    await publishAcknowledged(() => this.publisher.publish([intake.event]), response, 'the lead was');
    return { leadId: intake.leadId };
  }

  /**
   * Up to 1,000 leads: valid ones are accepted even when others are refused. Every lead.received and
   * lead.rejected event of the call goes out in one publish, and 202 only once Kafka acknowledged all.
   */
  @Post('batch')
  @HttpCode(202)
  @RequireScope('ingest')
  @ApiOperation({
    summary: `Submit up to ${MAX_BATCH_LEADS} leads`,
    description: 'One result per item, by index: { index, leadId } or { index, errors }. Valid items are accepted even when others fail; refused items are reported as lead.rejected (channel batch).',
  })
  @ApiBody({ type: LeadBatchDto })
  @ApiResponse({ status: 202, type: LeadBatchResultDto, description: 'Kafka acknowledged every event of the batch' })
  @ApiBadRequestResponse({ type: BadRequestDto, description: `Not { leads: [...] }, or more than ${MAX_BATCH_LEADS} leads` })
  @ApiServiceUnavailableResponse({ description: 'Kafka did not acknowledge; nothing of the batch was accepted; retry the whole batch after Retry-After seconds' })
  async createBatch(
    @Body() body: unknown,
    @Headers('referer') referer: string | undefined,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<{ results: BatchItemResult[]; accepted: number; rejected: number }> {
    const leads = leadsOf(body);
    const occurredAt = new Date().toISOString();
    const results: BatchItemResult[] = [];
    let accepted = 0;
    await publishAcknowledged(
      () => {
        // Each event becomes its compact Kafka record at once (as a CSV row does), so a call holds a
        // thousand ~1 KB records while Kafka acknowledges, not a thousand event object graphs.
        const records = leads.map((item, index) => {
          const intake = takeInLead(item, { channel: 'batch', rules: this.rules, occurredAt, ...(referer === undefined ? {} : { refererHeader: referer }) });
          if (intake.ok) {
            accepted += 1;
            results.push({ index, leadId: intake.leadId });
          } else {
            results.push({ index, errors: intake.errors.map((error) => ({ field: error.field, message: error.message })) });
          }
          return this.publisher.toRecord(intake.event);
        });
        return this.publisher.publishRecords(records);
      },
      response,
      'the batch was',
    );
    return { results, accepted, rejected: leads.length - accepted };
  }
}
