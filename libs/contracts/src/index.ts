export type { EventEnvelope, EventMetadata } from './envelope';
export {
  ACTIVITY_KINDS,
  ATTRIBUTION_FIELDS,
  DEPARTMENTS,
  FIRMOGRAPHICS_OUTCOMES,
  GRADES,
  LEAD_CHANNELS,
  SENIORITIES,
  type ActivityKind,
  type Assignee,
  type Attribution,
  type CompanyFirmographics,
  type Department,
  type EnrichedLead,
  type EnrichmentReport,
  type FirmographicsOutcome,
  type Grade,
  type LeadChannel,
  type LeadFields,
  type QualificationStage,
  type Seniority,
} from './lead';
export {
  EVENT_TYPES,
  EVENT_VERSIONS,
  isEventType,
  type ActivityRecorded,
  type EventOfType,
  type EventType,
  type LeadAssigned,
  type LeadEnriched,
  type LeadQualified,
  type LeadReceived,
  type LeadRejected,
  type LeadResolved,
  type LeadScored,
  type LeadstreamEvent,
  type NurtureEnrolled,
} from './events';
export {
  ALL_LANE_TOPICS,
  ALL_TOPICS,
  TOPICS,
  bulkTopicOf,
  deadLetterTopicFor,
  laneOfTopic,
  topicFor,
  type Lane,
  type TopicName,
} from './topics';
export { ContractViolation, DomainError } from './errors';
export { LEADSTREAM_NAMESPACE, deriveEventId, isUuid, uuidV5 } from './event-ids';
export { newEdgeEvent, reactTo } from './build-event';
export { isIsoTimestamp, parseEvent } from './parse-event';
export { partitionKeyOf } from './partition-key';
