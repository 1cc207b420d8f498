import { DomainError, type Assignee, type EnrichedLead, type Grade, type LeadstreamEvent, type QualificationStage } from '@leadstream/contracts';

export type LeadStatus = 'received' | 'enriched' | 'new' | 'merged' | 'scored' | 'MQL' | 'SQL' | 'assigned' | 'nurturing' | 'rejected';

/** A lead's current state, projected from its events (GET /v1/leads/:id). */
export interface LeadState {
  readonly leadId: string;
  /** The lead record's email; absent for a lead without one (known by its phone, an external id, or its name and company). */
  readonly email?: string;
  readonly status: LeadStatus;
  readonly score?: number;
  readonly grade?: Grade;
  /** The highest qualification reached; kept even when a later assignment moves `status` on. */
  readonly stage?: QualificationStage;
  readonly owner?: Assignee;
  /** The surviving lead while this one is merged into it (a duplicate on arrival, or absorbed by lead.merged). */
  readonly mergedInto?: string;
  /** The status the lead had when it was merged: what an unmerge gives it back (see evolveLeadState). */
  readonly statusBeforeMerge?: LeadStatus;
  /** The company's account, set by dedupe on the lead record (`lead.accountId`). */
  readonly accountId?: string;
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
 * The leads whose state an event changes: its own lead (metadata.leadId) and, for the events that
 * change other leads too, those: `lead.merged` changes the survivor and every lead it absorbs
 * (`mergedLeadIds`), `lead.unmerged` the split-off lead and the former survivor, whose record it
 * rebuilds. Own lead first, no repeats.
 */
export function leadsChangedBy(event: LeadstreamEvent): readonly string[] {
  const own = event.metadata.leadId;
  switch (event.type) {
    case 'lead.merged':
      return unique([own, event.data.survivorLeadId, ...event.data.mergedLeadIds]);
    case 'lead.unmerged':
      return unique([own, event.data.formerSurvivorLeadId]);
    default:
      return [own];
  }
}

function unique(leadIds: readonly string[]): readonly string[] {
  return [...new Set(leadIds)];
}

/**
 * The state with the email of the lead record an event carries: the record's email, or none when the record
 * has none (a lead known by its phone, an external id, or its name and company; a survivor rebuilt without
 * the only lead that had one). Absent rather than undefined, so the stored state has no `email` key.
 */
function withEmail<S extends { readonly email?: string }>(state: S, email: string | undefined): S {
  if (email !== undefined) return { ...state, email };
  const { email: _none, ...rest } = state;
  return rest as S;
}

/** The record's account when it names one, else the one the state already has. */
function accountOf(lead: Pick<EnrichedLead, 'accountId'>, current: string | undefined): string | undefined {
  return lead.accountId ?? current;
}

/** The state of a lead merged into `survivor`: it remembers the status an unmerge gives back. */
function mergedInto<S extends { readonly status?: LeadStatus; readonly statusBeforeMerge?: LeadStatus }>(
  base: S,
  survivor: string,
): S & { status: LeadStatus; mergedInto: string; statusBeforeMerge?: LeadStatus } {
  const status = base.status;
  if (status === 'rejected') return { ...base, status, mergedInto: survivor };
  const before = status === 'merged' ? base.statusBeforeMerge : status;
  return { ...base, status: 'merged', mergedInto: survivor, ...(before !== undefined ? { statusBeforeMerge: before } : {}) };
}

/** The state of a lead that lives on its own (again): no mergedInto, and the status it had before a merge. */
function living<S extends { readonly status?: LeadStatus; readonly mergedInto?: string; readonly statusBeforeMerge?: LeadStatus }>(
  base: S,
): Omit<S, 'mergedInto' | 'statusBeforeMerge'> & { status: LeadStatus } {
  const { mergedInto: _survivor, statusBeforeMerge, ...own } = base;
  const status = base.status === 'merged' ? advance(statusBeforeMerge ?? 'received', 'new') : advance(base.status, 'new');
  return { ...own, status };
}

/**
 * Folds one event into the state of `leadId` (by default the event's own lead; any lead of
 * `leadsChangedBy(event)`). Scoring and qualification only move the status forward in the funnel
 * (received -> enriched -> new -> scored -> MQL -> SQL -> assigned); an assignment or an enrolment sets
 * it outright, as they are new facts about ownership; rejected and merged leads keep their status.
 *
 * Merges: a lead absorbed by `lead.merged` (one of `mergedLeadIds`), like a duplicate resolved as
 * 'merged', becomes 'merged' with `mergedInto` = the survivor; the survivor takes the surviving record's
 * email and account. `lead.unmerged` gives the split-off lead its own life again: `mergedInto` is
 * cleared and its status is the one it had when it was merged (at least 'new'), since what its own
 * events did before the merge (a score, an owner) still holds for it and downstream acts on it again
 * under its own id; the former survivor takes its rebuilt record's email and account.
 *
 * Throws WrongLeadError ('ANALYTICS.WRONG_LEAD') for an event that does not concern the lead.
 */
export function evolveLeadState(state: LeadState | undefined, event: LeadstreamEvent, leadId: string = state?.leadId ?? event.metadata.leadId): LeadState {
  const { occurredAt } = event.metadata;
  if ((state !== undefined && state.leadId !== leadId) || !leadsChangedBy(event).includes(leadId)) {
    throw new WrongLeadError(state?.leadId ?? leadId, event.metadata.leadId);
  }
  const base = { ...state, leadId, lastEventAt: later(state?.lastEventAt, occurredAt) };
  const status = state?.status;

  switch (event.type) {
    case 'lead.received': {
      const { lead } = event.data;
      return withEmail(
        { ...base, status: advance(status, 'received'), source: base.source ?? lead.source, campaign: base.campaign ?? lead.campaign },
        base.email ?? lead.email?.trim().toLowerCase(),
      );
    }
    case 'lead.rejected':
      return { ...base, status: 'rejected', source: base.source ?? event.data.source };
    case 'lead.enriched': {
      const { lead } = event.data;
      return withEmail(
        { ...base, status: advance(status, 'enriched'), source: lead.source ?? base.source, campaign: lead.campaign ?? base.campaign, accountId: accountOf(lead, base.accountId) },
        lead.email,
      );
    }
    case 'lead.resolved': {
      const { outcome, masterLeadId, lead } = event.data;
      // `lead` is the cluster's surviving record: a lead merged on arrival keeps its own email (from its lead.enriched).
      if (outcome === 'merged' && masterLeadId !== leadId) return mergedInto(withEmail({ ...base, accountId: accountOf(lead, base.accountId) }, base.email ?? lead.email), masterLeadId);
      return withEmail({ ...base, accountId: accountOf(lead, base.accountId), status: advance(status, 'new') }, lead.email);
    }
    case 'lead.merged': {
      const { survivorLeadId, lead } = event.data;
      if (leadId === survivorLeadId) return withEmail({ ...living(base), accountId: accountOf(lead, base.accountId) }, lead.email);
      if (event.data.mergedLeadIds.includes(leadId)) return mergedInto(base, survivorLeadId);
      return { ...base, status: status ?? 'received' };
    }
    case 'lead.unmerged': {
      const { lead, survivorLead } = event.data;
      if (leadId === event.metadata.leadId) return withEmail({ ...living(base), accountId: accountOf(lead, base.accountId) }, lead.email);
      // the former survivor (formerSurvivorLeadId): the same lead it was, on the record rebuilt without the split-off lead
      return withEmail({ ...base, status: status ?? 'new', accountId: accountOf(survivorLead, base.accountId) }, survivorLead.email);
    }
    case 'lead.scored': {
      const { score, grade, lead } = event.data;
      return withEmail({ ...base, status: advance(status, 'scored'), score, grade, accountId: accountOf(lead, base.accountId) }, lead.email);
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
    case 'lead.merge-requested':
    case 'lead.unmerge-requested':
      // requests to dedupe, kept in the history as an audit trail; dedupe's answer (lead.merged, lead.unmerged) changes the state
      return { ...base, status: status ?? 'received' };
    case 'nurture.enrolled':
      return { ...base, status: status === 'rejected' || status === 'merged' ? status : 'nurturing', nurtureSequenceId: event.data.sequenceId };
    default: {
      const unhandled: never = event;
      throw new Error(`evolveLeadState does not handle ${(unhandled as LeadstreamEvent).type}`);
    }
  }
}

/** The state of `leadId` (by default the first event's lead) from the events that concern it, in order; undefined when there are none. */
export function projectLeadState(events: readonly LeadstreamEvent[], leadId?: string): LeadState | undefined {
  return events.reduce<LeadState | undefined>((state, event) => evolveLeadState(state, event, state?.leadId ?? leadId ?? event.metadata.leadId), undefined);
}
