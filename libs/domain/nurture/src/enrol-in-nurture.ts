import type { Assignee, NurtureEnrolled } from '@leadstream/contracts';

export interface EnrolInNurture {
  readonly leadId: string;
  /** From lead.assigned: who the lead was given to. */
  readonly assignee: Assignee;
}

/** What the nurture service remembers per lead. */
export interface NurtureState {
  readonly enrolled: boolean;
}

export const INITIAL_NURTURE_STATE: NurtureState = { enrolled: false };

export interface NurtureConfig {
  /** The sequence new nurture leads start (emails come in a later version). */
  readonly sequenceId: string;
  /** The queue routing sends leads to be nurtured to. */
  readonly nurtureQueueId: string;
}

/** Matches DEMO_ROUTING_CONFIG's nurture queue. */
export const DEMO_NURTURE_CONFIG: NurtureConfig = { sequenceId: 'welcome-v1', nurtureQueueId: 'nurture' };

export type NurtureDecision = { readonly enrol: true; readonly sequenceId: string } | { readonly enrol: false };

/**
 * Enrols a lead in the nurture sequence when routing put it in the nurture queue, and only once:
 * a reassignment to the nurture queue or a redelivered lead.assigned does not enrol it again.
 * Leads given to a rep or another queue are not nurtured.
 */
export function enrolInNurture(command: EnrolInNurture, state: NurtureState, config: NurtureConfig): NurtureDecision {
  const { assignee } = command;
  if (state.enrolled) return { enrol: false };
  if (assignee.kind !== 'queue' || assignee.queueId !== config.nurtureQueueId) return { enrol: false };
  return { enrol: true, sequenceId: config.sequenceId };
}

/** Folds the lead's nurture history into its state. */
export function evolveNurtureState(_state: NurtureState, _event: NurtureEnrolled): NurtureState {
  return { enrolled: true };
}
