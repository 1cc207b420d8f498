import type { EventType } from './events';

/** Kafka topic per event type; the suffix is the major version of the payload. */
export const TOPICS = {
  leadReceived: 'lead.received.v1',
  leadRejected: 'lead.rejected.v1',
  leadEnriched: 'lead.enriched.v1',
  leadResolved: 'lead.resolved.v1',
  leadMerged: 'lead.merged.v1',
  leadUnmerged: 'lead.unmerged.v1',
  leadMergeRequested: 'lead.merge-requested.v1',
  leadUnmergeRequested: 'lead.unmerge-requested.v1',
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
  'lead.merged': TOPICS.leadMerged,
  'lead.unmerged': TOPICS.leadUnmerged,
  'lead.merge-requested': TOPICS.leadMergeRequested,
  'lead.unmerge-requested': TOPICS.leadUnmergeRequested,
  'lead.scored': TOPICS.leadScored,
  'lead.qualified': TOPICS.leadQualified,
  'lead.assigned': TOPICS.leadAssigned,
  'activity.recorded': TOPICS.activityRecorded,
  'nurture.enrolled': TOPICS.nurtureEnrolled,
};

/** The topic of an event type: its live topic, or in the bulk lane its bulk twin. */
export function topicFor(type: EventType): TopicName;
export function topicFor(type: EventType, lane: Lane): string;
export function topicFor(type: EventType, lane: Lane = 'live'): string {
  const topic = Object.prototype.hasOwnProperty.call(TOPIC_BY_TYPE, type) ? TOPIC_BY_TYPE[type] : undefined;
  if (topic === undefined) {
    throw new TypeError(`no topic for event type ${JSON.stringify(type)}`);
  }
  return lane === 'bulk' ? (BULK_TWIN_BY_TYPE[type] as string) : topic;
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

/**
 * The lane an event travels in. `live`: leads and activities as they happen (forms, the API), which a rep
 * waits for. `bulk`: work in volume that nobody waits for row by row (CSV imports). Each topic has a bulk
 * twin (`lead.received.v1` -> `lead.received.bulk.v1`); an event caused by a bulk event stays in the bulk
 * lane. Consumers read the two lanes apart, so a live event never queues behind bulk ones. See
 * docs/adr/0008-bulk-lane.md.
 */
export type Lane = 'live' | 'bulk';

const BULK_MARK = '.bulk';
const VERSION_SUFFIX = /\.v[0-9]+$/;

/** The bulk twin of a live topic: `.bulk` goes before the version suffix (`lead.received.bulk.v1`). */
export function bulkTopicOf(topic: string): string {
  const version = typeof topic === 'string' ? VERSION_SUFFIX.exec(topic) : null;
  if (!version || !KAFKA_TOPIC_CHARS.test(topic) || topic.length + BULK_MARK.length > 249) {
    throw new TypeError(`topic ${JSON.stringify(topic)} has no bulk twin: a bulk twin needs a topic name ending in its version (.v1)`);
  }
  const base = topic.slice(0, version.index);
  if (base.endsWith(BULK_MARK)) throw new TypeError(`topic ${JSON.stringify(topic)} is already a bulk topic`);
  return `${base}${BULK_MARK}${version[0]}`;
}

/** The lane a topic belongs to: `bulk` for a bulk twin, `live` for any other topic. */
export function laneOfTopic(topic: string): Lane {
  const version = VERSION_SUFFIX.exec(topic);
  return version && topic.slice(0, version.index).endsWith(BULK_MARK) ? 'bulk' : 'live';
}

// Computed once: the publisher asks for every record of an import.
const BULK_TWIN_BY_TYPE: { readonly [T in EventType]: string } = Object.freeze(
  Object.fromEntries(Object.entries(TOPIC_BY_TYPE).map(([type, topic]) => [type, bulkTopicOf(topic)])) as { [T in EventType]: string },
);

/** Every event topic of both lanes: ALL_TOPICS and their bulk twins. */
export const ALL_LANE_TOPICS: readonly string[] = Object.freeze([...ALL_TOPICS, ...ALL_TOPICS.map(bulkTopicOf)]);
