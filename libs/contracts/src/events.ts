import type { EventEnvelope } from './envelope';
import type { ActivityKind, Assignee, EnrichedLead, Grade, LeadChannel, LeadFields, MatchExplanation, MergeDecision, QualificationStage, ScoreReason } from './lead';

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
 * `lead` is the SURVIVING record: for a lead merged into a known one, the fields of every lead of the
 * cluster combined by the survivorship rules (`provenance` names the lead each field came from).
 */
export type LeadResolved = EventEnvelope<
  'lead.resolved',
  {
    readonly outcome: 'new' | 'merged';
    readonly masterLeadId: string;
    readonly matchedOn?: string;
    readonly lead: EnrichedLead;
    /** Every lead of the surviving cluster, the surviving lead first. */
    readonly clusterLeadIds?: readonly string[];
    /** Field name -> the lead whose value the surviving record holds (merged only). */
    readonly provenance?: Readonly<Record<string, string>>;
    /** Why it was merged (merged only). */
    readonly match?: MatchExplanation;
    /** Pairs this lead now waits in the review queue with (between the two thresholds). */
    readonly reviewPairs?: readonly { readonly pairId: string; readonly leadId: string; readonly score: number }[];
  }
>;

/**
 * Two or more KNOWN leads became one (a lead that linked two clusters, a review pair merged, a manual
 * merge): downstream services had each of them as a lead of its own and must now act on the survivor.
 * metadata.leadId = survivorLeadId. (A newcomer merged on arrival is a lead.resolved with outcome
 * 'merged': nothing downstream knew it yet.)
 */
export type LeadMerged = EventEnvelope<
  'lead.merged',
  {
    readonly survivorLeadId: string;
    /** The leads that stop living on their own with this merge (survivors of the absorbed clusters and their members). */
    readonly mergedLeadIds: readonly string[];
    /** Every lead of the cluster after the merge, the survivor first. */
    readonly clusterLeadIds: readonly string[];
    /** The surviving record. */
    readonly lead: EnrichedLead;
    readonly provenance: Readonly<Record<string, string>>;
    readonly decision: MergeDecision;
  }
>;

/**
 * A compensating event: the lead (metadata.leadId) is split off the cluster it was merged into and lives
 * on its own again with its own fields and history; the former survivor keeps the rest of the cluster.
 */
export type LeadUnmerged = EventEnvelope<
  'lead.unmerged',
  {
    readonly formerSurvivorLeadId: string;
    /** The split-off lead's own record. */
    readonly lead: EnrichedLead;
    /** The former survivor's record rebuilt from the leads that stay with it. */
    readonly survivorLead: EnrichedLead;
    /** The leads left in the former survivor's cluster, the survivor first. */
    readonly clusterLeadIds: readonly string[];
    readonly provenance: Readonly<Record<string, string>>;
    readonly requestedBy?: string;
  }
>;

/** A person asked dedupe to merge known leads (a review pair, or any leads); dedupe answers with lead.merged. metadata.leadId = the first of leadIds. */
export type LeadMergeRequested = EventEnvelope<
  'lead.merge-requested',
  { readonly leadIds: readonly string[]; readonly reviewPairId?: string; readonly requestedBy: string }
>;

/** A person asked dedupe to split a lead (metadata.leadId) off its cluster; dedupe answers with lead.unmerged. */
export type LeadUnmergeRequested = EventEnvelope<'lead.unmerge-requested', { readonly requestedBy: string }>;

export type LeadScored = EventEnvelope<
  'lead.scored',
  {
    readonly score: number;
    readonly grade: Grade;
    readonly ruleSetVersion: string;
    readonly reasons: readonly ScoreReason[];
    readonly lead: EnrichedLead;
  }
>;

export type LeadQualified = EventEnvelope<
  'lead.qualified',
  {
    readonly stage: QualificationStage;
    readonly score: number;
    readonly ruleSetVersion: string;
    /** 'score' when the score crossed the stage's threshold (the default when absent), 'qualification' when a person qualified the lead (SQL by budget, authority, need, timeline). */
    readonly by?: 'score' | 'qualification';
  }
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
  | LeadMerged
  | LeadUnmerged
  | LeadMergeRequested
  | LeadUnmergeRequested
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
  'lead.merged': 1,
  'lead.unmerged': 1,
  'lead.merge-requested': 1,
  'lead.unmerge-requested': 1,
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
