import type { DecisionOutcome, DomainEvent } from './stream-decider';

/** What a command route answers: the resource id, the events written and where. */
export interface CommandResult {
  id: string;
  events: string[];
  /** Global position of the last event written, for read-your-writes on projections. */
  position: string;
  /** True when this was a retry of a command already handled: nothing new was written. */
  replayed: boolean;
}

export function commandResult(id: string, ...outcomes: DecisionOutcome<DomainEvent>[]): CommandResult {
  const position = outcomes.reduce((max, o) => (o.position > max ? o.position : max), -1n);
  return {
    id,
    events: outcomes.flatMap((o) => o.events.map((e) => e.type)),
    position: position.toString(),
    replayed: outcomes.length > 0 && outcomes.every((o) => o.replayed),
  };
}
