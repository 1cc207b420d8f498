import type { EventEnvelope } from './envelope';
import { EVENT_VERSIONS, isEventType, type LeadstreamEvent } from './events';
import { deriveEventId } from './event-ids';

function versionOf(type: string): number {
  if (!isEventType(type)) {
    throw new TypeError(`unknown event type ${JSON.stringify(type)}`);
  }
  return EVENT_VERSIONS[type];
}

/**
 * Builds the event a stage emits in reaction to `cause`: eventId = deriveEventId(cause.eventId, stage),
 * the cause's correlationId, causationId = cause.eventId, and the cause's leadId unless `leadId` is given
 * (dedupe hands on the master lead id). The version is the one this build writes for the type.
 */
export function reactTo<E extends LeadstreamEvent>(
  cause: EventEnvelope,
  stage: string,
  next: { type: E['type']; data: E['data']; occurredAt: string; leadId?: string },
): E {
  const event: EventEnvelope = {
    type: next.type,
    version: versionOf(next.type),
    data: next.data,
    metadata: {
      eventId: deriveEventId(cause.metadata.eventId, stage),
      leadId: next.leadId ?? cause.metadata.leadId,
      occurredAt: next.occurredAt,
      correlationId: cause.metadata.correlationId,
      causationId: cause.metadata.eventId,
    },
  };
  return event as E;
}

/**
 * Builds an event born at the edge (HTTP, CSV, activity API): no cause, so causationId is null and
 * correlationId defaults to the event's own id.
 */
export function newEdgeEvent<E extends LeadstreamEvent>(args: {
  type: E['type'];
  data: E['data'];
  eventId: string;
  leadId: string;
  occurredAt: string;
  correlationId?: string;
}): E {
  const event: EventEnvelope = {
    type: args.type,
    version: versionOf(args.type),
    data: args.data,
    metadata: {
      eventId: args.eventId,
      leadId: args.leadId,
      occurredAt: args.occurredAt,
      correlationId: args.correlationId ?? args.eventId,
      causationId: null,
    },
  };
  return event as E;
}
