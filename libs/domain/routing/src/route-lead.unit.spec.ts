import type { Grade } from '@leadstream/contracts';
import { scenarioFor, testUuid } from '@leadstream/testing';
import { INITIAL_ROUTING_STATE, routeLead, type RouteLead, type RoutingDecision, type RoutingState } from './route-lead';
import type { RoutingConfig } from './routing-config';

const config: RoutingConfig = {
  version: 't-1',
  reps: [
    { repId: 'ada', name: 'Ada', active: true },
    { repId: 'bob', name: 'Bob', active: false },
    { repId: 'cy', name: 'Cy', active: true },
  ],
  defaultQueueId: 'unassigned',
  nurtureQueueId: 'nurture',
  minGradeForRep: 'B',
};

function lead(grade: Grade): RouteLead {
  return { leadId: testUuid(1), grade, score: 60 };
}

function scenario(routing: RoutingConfig) {
  return scenarioFor<RouteLead, RoutingState, RoutingDecision, RoutingDecision>({
    initialState: INITIAL_ROUTING_STATE,
    // The history is the earlier decisions: each saves its nextState.
    evolve: (_state, decision) => decision.nextState,
    decide: (command, state) => routeLead(command, state, routing),
  });
}

describe('routeLead', () => {
  const { given, givenState } = scenario(config);

  it('given a fresh rotation, when an A lead arrives, then the first active rep gets it', () => {
    given([]).when(lead('A')).then({ assignee: { kind: 'rep', repId: 'ada' }, rule: 'round-robin', nextState: { nextRepIndex: 1 } });
  });

  it('given Ada had the last lead, when a B lead arrives, then inactive Bob is skipped and Cy gets it', () => {
    const first = routeLead(lead('A'), INITIAL_ROUTING_STATE, config);
    given([first]).when(lead('B')).then({ assignee: { kind: 'rep', repId: 'cy' }, rule: 'round-robin', nextState: { nextRepIndex: 0 } });
  });

  it('given any position, when a C lead arrives, then it goes to the nurture queue and the rotation does not move', () => {
    givenState({ nextRepIndex: 2 })
      .when(lead('C'))
      .then({ assignee: { kind: 'queue', queueId: 'nurture' }, rule: 'below-min-grade', nextState: { nextRepIndex: 2 } });
  });

  it('given no active rep, when a good lead arrives, then it waits in the default queue', () => {
    const nobody = scenario({ ...config, reps: config.reps.map((rep) => ({ ...rep, active: false })) });
    nobody.given([]).when(lead('A')).thenMatches({ assignee: { kind: 'queue', queueId: 'unassigned' }, rule: 'no-active-rep' });
    scenario({ ...config, reps: [] }).given([]).when(lead('A')).thenMatches({ rule: 'no-active-rep' });
  });

  it('given the rep list shrank below the saved position, when a lead arrives, then rotation wraps around', () => {
    givenState({ nextRepIndex: 3 }).when(lead('A')).thenMatches({ assignee: { kind: 'rep', repId: 'ada' }, nextState: { nextRepIndex: 1 } });
  });

  it('shares a run of good leads evenly between the active reps', () => {
    let state = INITIAL_ROUTING_STATE;
    const owners: string[] = [];
    for (let n = 0; n < 6; n += 1) {
      const decision = routeLead(lead('A'), state, config);
      owners.push(decision.assignee.kind === 'rep' ? decision.assignee.repId : decision.assignee.queueId);
      state = decision.nextState;
    }
    expect(owners).toEqual(['ada', 'cy', 'ada', 'cy', 'ada', 'cy']);
  });

  it('given a corrupt saved position, then ROUTING.INVALID_STATE', () => {
    givenState({ nextRepIndex: -1 }).when(lead('A')).thenThrows('ROUTING.INVALID_STATE');
  });
});
