import { currentSchemaVersion } from '@placement/domain';
import type { EventStore, EventToAppend } from '@placement/event-store';
import type { StreamEvent } from './synthetic-events';

/** The envelope a command handler would write: ids and actor, never child data in metadata. */
export function toAppend(item: StreamEvent, id: string, actorRole = 'placement-officer'): EventToAppend {
  return {
    id,
    type: item.event.type,
    schemaVersion: currentSchemaVersion(item.event.type),
    data: item.event.data,
    metadata: {
      commandId: `cmd-${id}`,
      correlationId: `cor-${id}`,
      causationId: `cmd-${id}`,
      actor: { id: 'synthetic', role: actorRole },
    },
  };
}

/**
 * Appends in large groups: every append issued in one turn shares the store's transaction,
 * so a million events load in minutes, not hours. Returns the number appended.
 */
export async function appendAll(
  store: EventStore,
  items: Iterable<StreamEvent>,
  options: { groupSize?: number; idPrefix?: string } = {},
): Promise<number> {
  const groupSize = options.groupSize ?? 5000;
  const prefix = options.idPrefix ?? 'evt';
  let pending: Promise<unknown>[] = [];
  let count = 0;
  for (const item of items) {
    pending.push(store.append(item.streamId, [toAppend(item, `${prefix}-${count}`)]));
    count += 1;
    if (pending.length >= groupSize) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  return count;
}
