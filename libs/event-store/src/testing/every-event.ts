import { everyEvent } from '../every-event';
import type { EventStore, RecordedEvent } from '../port';

/** The whole log in one array, oldest first: for a spec that asserts over every event. */
export async function readEveryEvent(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of everyEvent(store)) all.push(event);
  return all;
}
