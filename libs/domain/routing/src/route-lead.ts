import { DomainError, GRADES, type Assignee, type Grade } from '@leadstream/contracts';
import type { RoutingConfig } from './routing-config';

export interface RouteLead {
  readonly leadId: string;
  readonly grade: Grade;
  readonly score: number;
  /** ISO alpha-2; unused by the first version, here for territory rules. */
  readonly country?: string;
}

/** Round-robin position, kept by the routing service between leads (one row per config). */
export interface RoutingState {
  /** Index into `config.reps` where the search for the next active rep starts. */
  readonly nextRepIndex: number;
}

export const INITIAL_ROUTING_STATE: RoutingState = { nextRepIndex: 0 };

export type RoutingRule = 'round-robin' | 'below-min-grade' | 'no-active-rep';

export interface RoutingDecision {
  readonly assignee: Assignee;
  /** Why: which routing rule placed the lead. */
  readonly rule: RoutingRule;
  /** The state to save with the assignment (unchanged when no rep was used). */
  readonly nextState: RoutingState;
}

export class InvalidRoutingStateError extends DomainError {
  readonly code = 'ROUTING.INVALID_STATE' as const;

  constructor(nextRepIndex: unknown) {
    super(`routing state nextRepIndex must be an integer >= 0, got ${String(nextRepIndex)}`);
  }
}

function meetsGrade(grade: Grade, minimum: Grade): boolean {
  return GRADES.indexOf(grade) <= GRADES.indexOf(minimum);
}

/**
 * Decides who gets a scored lead:
 * - below `minGradeForRep`: the nurture queue ('below-min-grade');
 * - otherwise the next active rep in round-robin order ('round-robin'); inactive reps are skipped
 *   and keep their place, so a rep back from leave rejoins the rotation where they were;
 * - no active rep: the default queue ('no-active-rep').
 */
export function routeLead(command: RouteLead, state: RoutingState, config: RoutingConfig): RoutingDecision {
  if (!Number.isInteger(state.nextRepIndex) || state.nextRepIndex < 0) throw new InvalidRoutingStateError(state.nextRepIndex);
  if (!meetsGrade(command.grade, config.minGradeForRep)) {
    return { assignee: { kind: 'queue', queueId: config.nurtureQueueId }, rule: 'below-min-grade', nextState: state };
  }
  const count = config.reps.length;
  for (let step = 0; step < count; step += 1) {
    const index = (state.nextRepIndex + step) % count;
    const rep = config.reps[index];
    if (rep?.active) {
      return { assignee: { kind: 'rep', repId: rep.repId }, rule: 'round-robin', nextState: { nextRepIndex: (index + 1) % count } };
    }
  }
  return { assignee: { kind: 'queue', queueId: config.defaultQueueId }, rule: 'no-active-rep', nextState: state };
}
