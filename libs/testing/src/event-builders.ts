import {
  deriveEventId,
  EVENT_VERSIONS,
  type ActivityRecorded,
  type EventEnvelope,
  type EventMetadata,
  type LeadAssigned,
  type LeadEnriched,
  type LeadMerged,
  type LeadQualified,
  type LeadReceived,
  type LeadRejected,
  type LeadResolved,
  type LeadScored,
  type LeadUnmerged,
  type LeadstreamEvent,
  type NurtureEnrolled,
} from '@leadstream/contracts';
import { anEnrichedLead, aLead } from './lead-builders';
import { nextEventId, nextLeadId } from './test-ids';

/** The instant test events happen at unless told otherwise. */
export const TEST_TIME = '2026-01-15T09:00:00.000Z';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Builds one valid envelope (parseEvent accepts it). Ids come from the shared deterministic counters;
 * `causedBy` makes the event a reaction, with the id `reactTo` would give it.
 */
export class EventBuilder<E extends LeadstreamEvent> {
  private data: E['data'];
  private readonly metadata: Mutable<EventMetadata>;
  private version: number;

  constructor(
    private readonly type: E['type'],
    data: E['data'],
  ) {
    this.data = data;
    this.version = EVENT_VERSIONS[type];
    const eventId = nextEventId();
    this.metadata = { eventId, leadId: nextLeadId(), occurredAt: TEST_TIME, correlationId: eventId, causationId: null };
  }

  forLead(leadId: string): this {
    this.metadata.leadId = leadId;
    return this;
  }
  withEventId(eventId: string): this {
    if (this.metadata.correlationId === this.metadata.eventId) this.metadata.correlationId = eventId;
    this.metadata.eventId = eventId;
    return this;
  }
  at(occurredAt: string): this {
    this.metadata.occurredAt = occurredAt;
    return this;
  }
  withCorrelationId(correlationId: string): this {
    this.metadata.correlationId = correlationId;
    return this;
  }
  withVersion(version: number): this {
    this.version = version;
    return this;
  }
  /** Replace the payload entirely. */
  withData(data: E['data']): this {
    this.data = data;
    return this;
  }
  /** Override some payload fields. */
  withDataPatch(patch: Partial<E['data']>): this {
    this.data = { ...(this.data as object), ...(patch as object) } as E['data'];
    return this;
  }
  /** As `reactTo(cause, stage, ...)` would: same lead and correlation, derived id, causation = cause. */
  causedBy(cause: EventEnvelope, stage: string = this.type): this {
    this.metadata.eventId = deriveEventId(cause.metadata.eventId, stage);
    this.metadata.leadId = cause.metadata.leadId;
    this.metadata.correlationId = cause.metadata.correlationId;
    this.metadata.causationId = cause.metadata.eventId;
    return this;
  }

  build(): E {
    const event: EventEnvelope = { type: this.type, version: this.version, data: this.data, metadata: { ...this.metadata } };
    return event as E;
  }
}

export function aLeadReceivedEvent(lead = aLead().build()): EventBuilder<LeadReceived> {
  return new EventBuilder<LeadReceived>('lead.received', { lead, channel: 'api' });
}

export function aLeadRejectedEvent(): EventBuilder<LeadRejected> {
  return new EventBuilder<LeadRejected>('lead.rejected', {
    reasons: [{ field: 'email', message: 'email must be an email address' }],
    channel: 'api',
  });
}

export function aLeadEnrichedEvent(lead = anEnrichedLead().build()): EventBuilder<LeadEnriched> {
  return new EventBuilder<LeadEnriched>('lead.enriched', { lead });
}

/**
 * A lead.resolved; outcome 'new' by default, with masterLeadId kept equal to the lead id on build.
 * Use `merged(masterLeadId)` for a duplicate.
 */
export class LeadResolvedBuilder extends EventBuilder<LeadResolved> {
  private masterLeadId: string | undefined;

  merged(masterLeadId: string): this {
    this.masterLeadId = masterLeadId;
    return this;
  }

  override build(): LeadResolved {
    const event = super.build();
    const masterLeadId = this.masterLeadId ?? event.metadata.leadId;
    const data: LeadResolved['data'] =
      this.masterLeadId === undefined
        ? { ...event.data, outcome: 'new', masterLeadId }
        : { ...event.data, outcome: 'merged', masterLeadId, matchedOn: event.data.matchedOn ?? 'email' };
    return { ...event, data };
  }
}

export function aLeadResolvedEvent(lead = anEnrichedLead().build()): LeadResolvedBuilder {
  return new LeadResolvedBuilder('lead.resolved', { outcome: 'new', masterLeadId: '', lead });
}

export function aLeadScoredEvent(lead = anEnrichedLead().build()): EventBuilder<LeadScored> {
  return new EventBuilder<LeadScored>('lead.scored', {
    score: 40,
    grade: 'B',
    ruleSetVersion: 'test-1',
    reasons: [{ rule: 'corporate-email', points: 40 }],
    lead,
  });
}

export function aLeadQualifiedEvent(): EventBuilder<LeadQualified> {
  return new EventBuilder<LeadQualified>('lead.qualified', { stage: 'MQL', score: 60, ruleSetVersion: 'test-1' });
}

export function aLeadAssignedEvent(): EventBuilder<LeadAssigned> {
  return new EventBuilder<LeadAssigned>('lead.assigned', {
    assignee: { kind: 'rep', repId: 'rep-1' },
    rule: 'round-robin',
    score: 40,
    grade: 'B',
  });
}

export function anActivityRecordedEvent(): EventBuilder<ActivityRecorded> {
  return new EventBuilder<ActivityRecorded>('activity.recorded', { kind: 'email_opened', at: TEST_TIME });
}

export function aNurtureEnrolledEvent(): EventBuilder<NurtureEnrolled> {
  return new EventBuilder<NurtureEnrolled>('nurture.enrolled', { sequenceId: 'welcome-v1', queueId: 'nurture' });
}

/** `survivor` absorbed `merged` (an automatic merge), the cluster's surviving record being `record`. */
export function aLeadMergedEvent(survivor: string, merged: readonly string[], record = anEnrichedLead().build()): EventBuilder<LeadMerged> {
  return new EventBuilder<LeadMerged>('lead.merged', {
    survivorLeadId: survivor,
    mergedLeadIds: merged,
    clusterLeadIds: [survivor, ...merged],
    lead: record,
    provenance: { email: survivor },
    decision: { by: 'auto', ruleSetVersion: 'match-1', score: 0.97 },
  }).forLead(survivor);
}

/** `split` split off `formerSurvivor`'s cluster, with its own record and the survivor's rebuilt one. */
export function aLeadUnmergedEvent(split: string, formerSurvivor: string, own = anEnrichedLead().build(), survivorRecord = anEnrichedLead().build()): EventBuilder<LeadUnmerged> {
  return new EventBuilder<LeadUnmerged>('lead.unmerged', {
    formerSurvivorLeadId: formerSurvivor,
    lead: own,
    survivorLead: survivorRecord,
    clusterLeadIds: [formerSurvivor],
    provenance: { email: formerSurvivor },
    requestedBy: 'ops-key',
  }).forLead(split);
}
