import { randomUUID } from 'node:crypto';
import { openSqliteEventStore } from '@placement/event-store';
import { aBedOccupied, aPlacementStarted } from '@placement/test-support';

/** Appends events to one stream from a second connection to the file, as a handler would have, at the revision read. */
export async function appendAsTheHandlerWould(
  sqlitePath: string,
  streamId: string,
  events: { type: string; data: Record<string, unknown> }[],
  commandId: string,
): Promise<void> {
  const store = await openSqliteEventStore({ path: sqlitePath });
  try {
    const recorded = await store.readStream(streamId);
    const last = recorded[recorded.length - 1];
    await store.append(
      streamId,
      events.map((e) => ({
        id: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: {
          commandId,
          correlationId: commandId,
          causationId: commandId,
          actor: { id: 'demo-placement-officer', role: 'placement-officer' },
        },
      })),
      { expectedRevision: last ? last.revision : 'no_stream' },
    );
  } finally {
    await store.close();
  }
}

/** A BedOccupied as the placement handler writes it (an emergency, unmatched). */
export function bedOccupied(
  settingId: string,
  bedId: string,
  placementId: string,
  childId: string,
  referralId: string | null,
) {
  return aBedOccupied({
    settingId,
    bedId,
    placementId,
    childId,
    referralId,
    emergency: true,
    unmatchedEmergency: true,
    startDate: '2026-11-30',
    at: '2026-11-01T10:00:00.000Z',
  });
}

/** A PlacementStarted as the placement handler writes it (an emergency, starting a period of care). */
export function placementStarted(
  settingId: string,
  bedId: string,
  placementId: string,
  childId: string,
  referralId: string,
) {
  return aPlacementStarted({
    childId,
    placementId,
    unit: { kind: 'bed', settingId, bedId },
    startDate: '2026-11-30',
    emergency: true,
    unmatchedEmergency: true,
    referralId,
  });
}
