import {
  bedDecider,
  childDecider,
  contractDecider,
  householdDecider,
  referralDecider,
  settingDecider,
} from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import { asAuditable } from './describe';

type AnyDecider = { evolve(state: unknown, event: unknown): unknown; initialState: unknown };

const DECIDERS: ReadonlyMap<string, AnyDecider> = new Map<string, unknown>([
  ['child-', childDecider],
  ['referral-', referralDecider],
  ['bed-', bedDecider],
  ['household-', householdDecider],
  ['contract-', contractDecider],
  ['setting-', settingDecider],
]) as ReadonlyMap<string, AnyDecider>;

/** The decider of a stream, by its name's prefix; null for a stream the domain does not own. */
function deciderOf(streamId: string): AnyDecider | null {
  return DECIDERS.get(streamId.slice(0, streamId.indexOf('-') + 1)) ?? null;
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
