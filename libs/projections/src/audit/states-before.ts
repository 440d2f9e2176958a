import { STREAM_DECIDERS, streamKindOf } from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import { asAuditable } from './describe';

type AnyDecider = { evolve(state: unknown, event: unknown): unknown; initialState: unknown };

/** The decider of a stream, by its kind; null for a stream the domain does not own. */
function deciderOf(streamId: string): AnyDecider | null {
  const kind = streamKindOf(streamId);
  return kind === null ? null : (STREAM_DECIDERS[kind] as AnyDecider);
}

/**
 * What each decision's own stream looked like just before it: the state its decider was given.
 * `stream` must hold every event of one stream recorded by the as-of instant, in order.
 */
export function statesBefore(stream: readonly RecordedEvent[]): Map<string, unknown> {
  const before = new Map<string, unknown>();
  const first = stream[0];
  const decider = first ? deciderOf(first.streamId) : null;
  if (decider === null) return before;
  let state = decider.initialState;
  for (const event of stream) {
    before.set(event.id, state);
    // An event type this build does not know is shown but not folded: the decider would misread it.
    const known = asAuditable(event);
    if (known !== null) state = decider.evolve(state, known);
  }
  return before;
}
