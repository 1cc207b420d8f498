import { BadRequestException, Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { LEADSTREAM_NAMESPACE, newEdgeEvent, uuidV5, type ActivityRecorded } from '@leadstream/contracts';
import { validateActivityInput } from '@leadstream/domain-intake';
import { EventPublisher } from '@leadstream/platform-kafka';
import { RequireScope } from '@leadstream/platform-access';
import { badRequestBody } from '../leads/lead-intake';
import { publishAcknowledged, type HeaderSink } from '../leads/publish-acknowledged';
import { ActivityBatchDto, ActivityBatchResultDto, ActivityDto, ActivityRecordedDto } from './activity.dto';

export const MAX_BATCH_ACTIVITIES = 1000;

/**
 * The provisional lead id of an activity that names its lead by email: the same for every activity of
 * that address, so downstream can resolve them all to the master lead with that email.
 */
export function leadIdForEmail(email: string): string {
  return uuidV5(`email:${email.trim().toLowerCase()}`, LEADSTREAM_NAMESPACE);
}

type Recorded = { ok: true; event: ActivityRecorded } | { ok: false; errors: { field: string; message: string }[] };

function record(input: unknown, now: string): Recorded {
  const result = validateActivityInput(input, now);
  if (!result.ok) return { ok: false, errors: result.errors.map((error) => ({ field: error.field, message: error.message })) };
  const { activity } = result;
  const email = activity.email?.toLowerCase();
  const leadId = activity.leadId ?? leadIdForEmail(email as string);
  const event = newEdgeEvent<ActivityRecorded>({
    type: 'activity.recorded',
    data: {
      kind: activity.kind,
      at: activity.at,
      ...(activity.url === undefined ? {} : { url: activity.url }),
      ...(activity.detail === undefined ? {} : { detail: activity.detail }),
      ...(email === undefined ? {} : { email }),
    },
    eventId: randomUUID(),
    leadId,
    occurredAt: now,
  });
  return { ok: true, event };
}

function activitiesOf(body: Record<string, unknown>): unknown[] {
  const unknown = Object.keys(body).filter((key) => key !== 'activities');
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 10).map((key) => (key.length > 64 ? `${key.slice(0, 64)}...` : key));
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: shown.map((key) => `${key}: unknown field "${key}"; a batch is { "activities": [ ... ] }`),
      fields: shown,
    });
  }
  const activities = body['activities'];
  const fail = (message: string): never => {
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`activities: ${message}`], fields: ['activities'] });
  };
  if (!Array.isArray(activities)) return fail(`must be an array of activities, got ${activities === null ? 'null' : typeof activities}`);
  if (activities.length === 0) return fail('must hold at least one activity');
  if (activities.length > MAX_BATCH_ACTIVITIES) return fail(`a batch holds at most ${MAX_BATCH_ACTIVITIES} activities, got ${activities.length}; split it into several calls`);
  return activities;
}

@ApiTags('activities')
@ApiBearerAuth()
@ApiExtraModels(ActivityDto, ActivityBatchDto, ActivityRecordedDto, ActivityBatchResultDto)
@Controller('v1/activities')
export class ActivitiesController {
  constructor(private readonly publisher: EventPublisher) {}

  @Post()
  @HttpCode(202)
  @RequireScope('ingest')
  @ApiOperation({
    summary: 'Record what leads did (one activity, or { activities: [...] } up to 1,000)',
    description:
      'Each activity names its lead by leadId or by email and becomes an activity.recorded event. ' +
      'Email-identified activities carry the email and a name-based lead id; downstream resolves them to the master lead. ' +
      'A batch answers one result per index; valid items are accepted even when others fail. 202 only after Kafka acknowledged.',
  })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(ActivityDto) }, { $ref: getSchemaPath(ActivityBatchDto) }] } })
  @ApiResponse({ status: 202, description: 'One activity: ActivityRecorded; a batch: ActivityBatchResult', schema: { oneOf: [{ $ref: getSchemaPath(ActivityRecordedDto) }, { $ref: getSchemaPath(ActivityBatchResultDto) }] } })
  @ApiBadRequestResponse({ description: 'An invalid single activity, or a batch that is not { activities: [...] } of 1 to 1,000' })
  @ApiServiceUnavailableResponse({ description: 'Kafka did not acknowledge; nothing was recorded; retry after Retry-After seconds' })
  async record(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<ActivityRecordedDto | { results: ({ index: number; eventId: string; leadId: string } | { index: number; errors: { field: string; message: string }[] })[]; accepted: number; rejected: number }> {
    const now = new Date().toISOString();
    if (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.hasOwn(body, 'activities')) {
      const items = activitiesOf(body as Record<string, unknown>);
      const outcomes = items.map((item) => record(item, now));
      const events = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.event] : []));
      await publishAcknowledged(() => this.publisher.publish(events), response, 'the activities were');
      const results = outcomes.map((outcome, index) =>
        outcome.ok ? { index, eventId: outcome.event.metadata.eventId, leadId: outcome.event.metadata.leadId } : { index, errors: outcome.errors },
      );
      return { results, accepted: events.length, rejected: items.length - events.length };
    }
    const outcome = record(body, now);
    if (!outcome.ok) {
      const errors = body === undefined ? [{ field: '(body)', message: 'expected a JSON activity object (Content-Type: application/json)' }] : outcome.errors;
      throw new BadRequestException(badRequestBody(errors));
    }
    await publishAcknowledged(() => this.publisher.publish([outcome.event]), response, 'the activity was');
    return { eventId: outcome.event.metadata.eventId, leadId: outcome.event.metadata.leadId };
  }
}
