/** A stream type as pure functions (Emmett's decider). decide throws a DomainError and writes nothing. */
export interface Decider<C, E, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  readonly initialState: S;
}

/** Folds a stream's events into its state. */
export function fold<C, E, S>(decider: Decider<C, E, S>, events: readonly E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}
