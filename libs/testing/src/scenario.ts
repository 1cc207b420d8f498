/**
 * given/when/then for deciders. A decider here is any pure `decide(command, state)`; when it also has an
 * `evolve`, `given(events)` folds the history into the state first, otherwise `givenState(state)` sets it.
 *
 *   const { given } = scenarioFor({ initialState, evolve, decide });
 *   given([earlierEvent]).when(command).then(expected);
 */
export interface DeciderSpec<C, S, R, E> {
  readonly initialState: S;
  readonly evolve?: (state: S, event: E) => S;
  readonly decide: (command: C, state: S) => R;
}

export interface WhenStep<C, R> {
  when(command: C): ThenStep<R>;
}

export interface ThenStep<R> {
  /** Asserts the outcome deep-equals `expected` and returns it. */
  then(expected: R): R;
  /** Asserts the outcome matches a subset of its fields and returns it. */
  thenMatches(expected: Partial<R>): R;
  /** Asserts the decider throws an error whose `code` is `code`. */
  thenThrows(code: string): void;
}

function thenStep<R>(run: () => R): ThenStep<R> {
  return {
    then(expected) {
      const outcome = run();
      expect(outcome).toEqual(expected);
      return outcome;
    },
    thenMatches(expected) {
      const outcome = run();
      expect(outcome).toMatchObject(expected as object);
      return outcome;
    },
    thenThrows(code) {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as { code?: unknown }).code).toBe(code);
    },
  };
}

export function scenarioFor<C, S, R, E = never>(spec: DeciderSpec<C, S, R, E>) {
  const givenState = (state: S): WhenStep<C, R> => ({
    when: (command) => thenStep(() => spec.decide(command, state)),
  });
  const given = (history: readonly E[]): WhenStep<C, R> => {
    const { evolve } = spec;
    if (evolve === undefined) {
      if (history.length > 0) throw new Error('this decider has no evolve: use givenState(state) instead of given(events)');
      return givenState(spec.initialState);
    }
    return givenState(history.reduce((state, event) => evolve(state, event), spec.initialState));
  };
  return { given, givenState };
}

/** For projections: folds `events` with `evolve`, starting from no state. */
export function project<S, E>(evolve: (state: S | undefined, event: E) => S, events: readonly E[]): S | undefined {
  return events.reduce<S | undefined>((state, event) => evolve(state, event), undefined);
}
