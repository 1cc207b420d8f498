import type { EventEnvelope } from './envelope';
import type { ActivityKind, Assignee, EnrichedLead, Grade, LeadChannel, LeadFields, QualificationStage } from './lead';

export type LeadReceived = EventEnvelope<
  'lead.received',
  {
    readonly lead: LeadFields;
    readonly channel: LeadChannel;
    /** The CSV import and its 1-based line, when the lead came from a file. */
    readonly importId?: string;
    readonly line?: number;
    /** The web-to-lead form, when the lead came from one. */
    readonly formId?: string;
    /** The form's consent checkbox, when it has one: the text the visitor was shown and whether they ticked it. */
    readonly consent?: { readonly text: string; readonly given: boolean };
  }
>;

export type LeadRejected = EventEnvelope<
  'lead.rejected',
  {
    readonly reasons: { readonly field: string; readonly message: string }[];
    readonly source?: string;
    readonly channel: LeadChannel;
    /** 1-based line of the rejected row when the lead came from a CSV file. */
    readonly line?: number;
    readonly importId?: string;
    readonly formId?: string;
  }
>;

export type LeadEnriched = EventEnvelope<'lead.enriched', { readonly lead: EnrichedLead }>;

/**
 * metadata.leadId = the incoming lead; masterLeadId = the surviving lead (== metadata.leadId when new).
 * Every later event about it (scored, assigned...) carries metadata.leadId = masterLeadId.
 */
export type LeadResolved = EventEnvelope<
  'lead.resolved',
  { readonly outcome: 'new' | 'merged'; readonly masterLeadId: string; readonly matchedOn?: string; readonly lead: EnrichedLead }
>;

export type LeadScored = EventEnvelope<
  'lead.scored',
  {
    readonly score: number;
    readonly grade: Grade;
    readonly ruleSetVersion: string;
    readonly reasons: { readonly rule: string; readonly points: number }[];
    readonly lead: EnrichedLead;
  }
>;

export type LeadQualified = EventEnvelope<
  'lead.qualified',
  { readonly stage: QualificationStage; readonly score: number; readonly ruleSetVersion: string }
>;

export type LeadAssigned = EventEnvelope<
  'lead.assigned',
  { readonly assignee: Assignee; readonly rule: string; readonly score: number; readonly grade: Grade }
>;

export type ActivityRecorded = EventEnvelope<
  'activity.recorded',
  {
    readonly kind: ActivityKind;
    readonly at: string;
    readonly url?: string;
    readonly detail?: Record<string, string>;
    /** Set when the activity named the lead by email rather than by id (metadata.leadId is then provisional). */
    readonly email?: string;
  }
>;

export type NurtureEnrolled = EventEnvelope<'nurture.enrolled', { readonly sequenceId: string; readonly queueId: string }>;

export type LeadstreamEvent =
  | LeadReceived
  | LeadRejected
  | LeadEnriched
  | LeadResolved
  | LeadScored
  | LeadQualified
  | LeadAssigned
  | ActivityRecorded
  | NurtureEnrolled;

export type EventType = LeadstreamEvent['type'];
export type EventOfType<T extends EventType> = Extract<LeadstreamEvent, { type: T }>;

/** The schema version this build writes, per event type. A topic name carries the major version. */
export const EVENT_VERSIONS: { readonly [T in EventType]: number } = {
  'lead.received': 1,
  'lead.rejected': 1,
  'lead.enriched': 1,
  'lead.resolved': 1,
  'lead.scored': 1,
  'lead.qualified': 1,
  'lead.assigned': 1,
  'activity.recorded': 1,
  'nurture.enrolled': 1,
};

export const EVENT_TYPES: readonly EventType[] = Object.keys(EVENT_VERSIONS) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_VERSIONS, value);
}
