import type { NurtureEnrolled } from '@leadstream/contracts';
import { aNurtureEnrolledEvent, scenarioFor, testUuid } from '@leadstream/testing';
import {
  INITIAL_NURTURE_STATE,
  enrolInNurture,
  evolveNurtureState,
  type EnrolInNurture,
  type NurtureConfig,
  type NurtureDecision,
  type NurtureState,
} from './enrol-in-nurture';

const config: NurtureConfig = { sequenceId: 'welcome-v2', nurtureQueueId: 'nurture' };
const LEAD = testUuid(1);

const { given } = scenarioFor<EnrolInNurture, NurtureState, NurtureDecision, NurtureEnrolled>({
  initialState: INITIAL_NURTURE_STATE,
  evolve: evolveNurtureState,
  decide: (command, state) => enrolInNurture(command, state, config),
});

describe('enrolInNurture', () => {
  it('given a new lead, when routing puts it in the nurture queue, then it starts the configured sequence', () => {
    given([]).when({ leadId: LEAD, assignee: { kind: 'queue', queueId: 'nurture' } }).then({ enrol: true, sequenceId: 'welcome-v2' });
  });

  it('given the lead is already enrolled, when it is assigned to the nurture queue again, then it is not enrolled twice', () => {
    given([aNurtureEnrolledEvent().forLead(LEAD).build()])
      .when({ leadId: LEAD, assignee: { kind: 'queue', queueId: 'nurture' } })
      .then({ enrol: false });
  });

  it('given a new lead, when a rep gets it, then it is not nurtured', () => {
    given([]).when({ leadId: LEAD, assignee: { kind: 'rep', repId: 'nurture' } }).then({ enrol: false });
  });

  it('given a new lead, when it waits in another queue, then it is not nurtured', () => {
    given([]).when({ leadId: LEAD, assignee: { kind: 'queue', queueId: 'unassigned' } }).then({ enrol: false });
  });
});
