import { DomainError, type Assignee, type Grade, type LeadstreamEvent, type QualificationStage } from '@leadstream/contracts';

export type LeadStatus = 'received' | 'enriched' | 'new' | 'merged' | 'scored' | 'MQL' | 'SQL' | 'assigned' | 'nurturing' | 'rejected';

/** A lead's current state, projected from its events (GET /v1/leads/:id). */
export interface LeadState {
  readonly leadId: string;
  readonly email?: string;
  readonly status: LeadStatus;
  readonly score?: number;
  readonly grade?: Grade;
  /** The highest qualification reached; kept even when a later assignment moves `status` on. */
  readonly stage?: QualificationStage;
  readonly owner?: Assignee;
  /** The surviving lead when this one was a duplicate. */
  readonly mergedInto?: string;
  readonly nurtureSequenceId?: string;
  readonly source?: string;
  readonly campaign?: string;
  readonly lastEventAt: string;
}

export class WrongLeadError extends DomainError {
  readonly code = 'ANALYTICS.WRONG_LEAD' as const;

  constructor(stateLeadId: string, eventLeadId: string) {
    super(`an event of lead ${eventLeadId} cannot change the state of lead ${stateLeadId}`);
  }
}

// Funnel order: events arriving late or replayed must not move a lead backwards.
const FUNNEL_RANK: Readonly<Record<LeadStatus, number>> = {
  received: 0,
  enriched: 1,
  new: 2,
  merged: 2,
  scored: 3,
  MQL: 4,
  SQL: 5,
  assigned: 6,
  nurturing: 6,
  rejected: 7,
};

function advance(current: LeadStatus | undefined, next: LeadStatus): LeadStatus {
  if (current === undefined || current === 'rejected' || current === 'merged') return current ?? next;
  return FUNNEL_RANK[next] > FUNNEL_RANK[current] ? next : current;
}

function later(current: string | undefined, candidate: string): string {
  if (current === undefined) return candidate;
  return Date.parse(candidate) > Date.parse(current) ? candidate : current;
}

function higherStage(current: QualificationStage | undefined, next: QualificationStage): QualificationStage {
  return current === 'SQL' ? 'SQL' : next;
}

/**
 * Folds one event into a lead's state. Scoring and qualification only move the status forward in the
 * funnel (received -> enriched -> new -> scored -> MQL -> SQL -> assigned); an assignment or an
 * enrolment sets it outright, as they are new facts about ownership; rejected and merged leads keep
 * their status. Throws WrongLeadError ('ANALYTICS.WRONG_LEAD') for an event of another lead.
 */
export function evolveLeadState(state: LeadState | undefined, event: LeadstreamEvent): LeadState {
  const { leadId, occurredAt } = event.metadata;
  if (state !== undefined && state.leadId !== leadId) throw new WrongLeadError(state.leadId, leadId);
  const base = { ...state, leadId, lastEventAt: later(state?.lastEventAt, occurredAt) };
  const status = state?.status;

  switch (event.type) {
    case 'lead.received': {
      const { lead } = event.data;
      return {
        ...base,
        status: advance(status, 'received'),
        email: base.email ?? lead.email.trim().toLowerCase(),
        source: base.source ?? lead.source,
        campaign: base.campaign ?? lead.campaign,
      };
    }
    case 'lead.rejected':
      return { ...base, status: 'rejected', source: base.source ?? event.data.source };
    case 'lead.enriched': {
      const { lead } = event.data;
      return { ...base, status: advance(status, 'enriched'), email: lead.email, source: lead.source ?? base.source, campaign: lead.campaign ?? base.campaign };
    }
    case 'lead.resolved': {
      const { outcome, masterLeadId, lead } = event.data;
      if (outcome === 'merged') return { ...base, status: status === 'rejected' ? status : 'merged', mergedInto: masterLeadId, email: lead.email };
      return { ...base, status: advance(status, 'new'), email: lead.email };
    }
    case 'lead.scored': {
      const { score, grade, lead } = event.data;
      return { ...base, status: advance(status, 'scored'), score, grade, email: lead.email };
    }
    case 'lead.qualified': {
      const { stage, score } = event.data;
      return { ...base, status: advance(status, stage), stage: higherStage(base.stage, stage), score };
    }
    case 'lead.assigned': {
      const { assignee, score, grade } = event.data;
      return { ...base, status: status === 'rejected' || status === 'merged' ? status : 'assigned', owner: assignee, score, grade };
    }
    case 'activity.recorded':
      return { ...base, status: status ?? 'received' };
    case 'lead.merged':
      // The survivor's side; the absorbed leads are folded by the analytics consumer (issue 12 work in progress).
      return { ...base, status: status ?? 'new', email: event.data.lead.email };
    case 'lead.unmerged': {
      // The split-off lead lives on its own again.
      const { mergedInto: _formerSurvivor, ...own } = base;
      return { ...own, status: 'new', email: event.data.lead.email };
    }
    case 'lead.merge-requested':
    case 'lead.unmerge-requested':
      return { ...base, status: status ?? 'received' };
    case 'nurture.enrolled':
      return { ...base, status: status === 'rejected' || status === 'merged' ? status : 'nurturing', nurtureSequenceId: event.data.sequenceId };
    default: {
      const unhandled: never = event;
      throw new Error(`evolveLeadState does not handle ${(unhandled as LeadstreamEvent).type}`);
    }
  }
}

/** A lead's state from its events in order; undefined when there are none. */
export function projectLeadState(events: readonly LeadstreamEvent[]): LeadState | undefined {
  return events.reduce<LeadState | undefined>(evolveLeadState, undefined);
}
