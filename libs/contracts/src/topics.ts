import type { EventType } from './events';

/** Kafka topic per event type; the suffix is the major version of the payload. */
export const TOPICS = {
  leadReceived: 'lead.received.v1',
  leadRejected: 'lead.rejected.v1',
  leadEnriched: 'lead.enriched.v1',
  leadResolved: 'lead.resolved.v1',
  leadScored: 'lead.scored.v1',
  leadQualified: 'lead.qualified.v1',
  leadAssigned: 'lead.assigned.v1',
  activityRecorded: 'activity.recorded.v1',
  nurtureEnrolled: 'nurture.enrolled.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly TopicName[] = Object.freeze(Object.values(TOPICS));

const TOPIC_BY_TYPE: { readonly [T in EventType]: TopicName } = {
  'lead.received': TOPICS.leadReceived,
  'lead.rejected': TOPICS.leadRejected,
  'lead.enriched': TOPICS.leadEnriched,
  'lead.resolved': TOPICS.leadResolved,
  'lead.scored': TOPICS.leadScored,
  'lead.qualified': TOPICS.leadQualified,
  'lead.assigned': TOPICS.leadAssigned,
  'activity.recorded': TOPICS.activityRecorded,
  'nurture.enrolled': TOPICS.nurtureEnrolled,
};

export function topicFor(type: EventType): TopicName {
  const topic = Object.prototype.hasOwnProperty.call(TOPIC_BY_TYPE, type) ? TOPIC_BY_TYPE[type] : undefined;
  if (topic === undefined) {
    throw new TypeError(`no topic for event type ${JSON.stringify(type)}`);
  }
  return topic;
}

// Kafka topic names: at most 249 characters of [a-zA-Z0-9._-].
const KAFKA_TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;
const DLQ_SUFFIX = '.dlq.v1';

/** The dead-letter topic of one consumer group: `${groupId}.dlq.v1`. */
export function deadLetterTopicFor(groupId: string): string {
  if (typeof groupId !== 'string' || !KAFKA_TOPIC_CHARS.test(groupId) || groupId.length + DLQ_SUFFIX.length > 249) {
    throw new TypeError(
      `consumer group id ${JSON.stringify(groupId)} cannot name a dead-letter topic: use 1-${249 - DLQ_SUFFIX.length} characters of a-z, A-Z, 0-9, '.', '_' or '-'`,
    );
  }
  return `${groupId}${DLQ_SUFFIX}`;
}
