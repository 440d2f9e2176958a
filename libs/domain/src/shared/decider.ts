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

/**
 * A command of type `T` that carries the data of `E` (most often the one event it records): the
 * commands add what only deciding needs (`at`, the bookings to check) by extending it.
 */
export interface CommandFor<T extends string, E extends { readonly data: unknown }> {
  readonly type: T;
  readonly data: E['data'];
}
