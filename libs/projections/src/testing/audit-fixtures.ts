import type {
  BedAdded,
  BedHeld,
  BedHoldReleased,
  BedOccupied,
  ChildRegistered,
  MatchesProposed,
  MatchingMeetingHeld,
  PlacementStarted,
  ReferralClosed,
  ReferralNeeds,
  ReferralReceived,
} from '@placement/domain';
import { currentSchemaVersion } from '@placement/domain';
import { aChildRegistered, aReferralReceived, someReferralNeeds } from '@placement/domain/testing';
import type { Actor, EventStore, RecordedEvent } from '@placement/event-store';
import { aMeeting } from '@placement/test-support';
import { bedOccupation } from './capacity-fixtures';
import { placementStartedIn } from './child-fixtures';

/**
 * Typed domain events for the audit tests, shaped exactly as the deciders write them
 * (the compiler holds them to the domain's event types).
 */
export const needs: ReferralNeeds = someReferralNeeds({
  ageAtStart: 14,
  preferredArea: { postcodeDistrict: 'S60', maxDistanceKm: 30 },
  placementTypeSuitability: { foster: 'preferred', 'childrens-home': 'suitable' },
  risksToSelf: ['going-missing'],
});

export const childRegistered = (childId: string, data: Partial<ChildRegistered['data']> = {}): ChildRegistered =>
  aChildRegistered({ childId, dateOfBirth: '2012-03-04', homePostcode: 'S61 1AA', ...data });

export const referralReceived = (referralId: string, childId: string, at: string): ReferralReceived =>
  aReferralReceived({ referralId, childId, startDate: '2026-03-05', needs, at });

export const bedAdded = (settingId: string, bedId: string): BedAdded => ({
  type: 'BedAdded',
  data: { settingId, bedId, kind: 'residential', label: `Room ${bedId}` },
});

export const matchesProposed = (
  referralId: string,
  at: string,
  ranked: readonly { settingId: string; bedId: string }[],
  excluded: readonly { settingId: string; bedId: string; reason: string }[] = [],
): MatchesProposed => ({
  type: 'MatchesProposed',
  data: {
    referralId,
    engineVersion: 'matching-1.0.0',
    inputsHash: `sha256-${referralId}-${at}`,
    options: ranked.map((u, i) => ({
      rank: i + 1,
      unit: { kind: 'bed', settingId: u.settingId, bedId: u.bedId },
      score: 100 - i * 10,
      reasons: ['in-house residential'],
    })),
    excluded: excluded.map((u) => ({
      unit: { kind: 'bed', settingId: u.settingId, bedId: u.bedId },
      reasons: [u.reason],
    })),
    at,
  },
});

export const meetingHeld = (
  referralId: string,
  meetingId: string,
  settingId: string,
  residents: readonly string[],
  heldOn: string,
): MatchingMeetingHeld => ({
  type: 'MatchingMeetingHeld',
  data: {
    referralId,
    ...aMeeting({
      meetingId,
      heldOn,
      attendees: [{ role: 'registered-manager' }, { role: 'social-worker' }],
      settingId,
      residents,
    }),
  },
});

export const bedHeld = (
  settingId: string,
  bedId: string,
  referralId: string,
  childId: string,
  at: string,
  until: string,
): BedHeld => ({
  type: 'BedHeld',
  data: { settingId, bedId, referralId, childId, until, at },
});

export const bedHoldReleased = (
  settingId: string,
  bedId: string,
  referralId: string,
  reason: BedHoldReleased['data']['reason'],
  at: string,
): BedHoldReleased => ({
  type: 'BedHoldReleased',
  data: { settingId, bedId, referralId, reason, at },
});

export const bedOccupied = (
  settingId: string,
  bedId: string,
  placementId: string,
  childId: string,
  referralId: string | null,
  startDate: string,
  at: string,
  meetingId: string | null,
): BedOccupied =>
  bedOccupation(settingId, bedId, placementId, startDate, { childId, referralId, at, matchingMeetingId: meetingId });

export const placementStarted = (
  childId: string,
  placementId: string,
  settingId: string,
  bedId: string,
  referralId: string | null,
  startDate: string,
): PlacementStarted =>
  placementStartedIn(childId, placementId, { kind: 'bed', settingId, bedId }, startDate, {
    referralId,
    placementPostcode: 'S60 1AA',
    urn: 'SC100001',
  });

export const referralClosed = (referralId: string, placementId: string, at: string): ReferralClosed => ({
  type: 'ReferralClosed',
  data: { referralId, outcome: 'placed', placementId, at },
});

/** A clock the test moves, so events are recorded "on" chosen days. */
export class MovableClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(instant: string): void {
    this.current = new Date(instant);
  }
}

let counter = 0;

/** Appends domain events as the API would: one command id per call, the actor in metadata. */
export async function record(
  store: EventStore,
  streamId: string,
  events: readonly { type: string; data: unknown }[],
  options: { actor?: Actor; effectiveAt?: string; commandId?: string } = {},
): Promise<RecordedEvent[]> {
  counter += 1;
  const commandId = options.commandId ?? `cmd-${counter}`;
  await store.append(
    streamId,
    events.map((e, i) => ({
      id: `00000000-0000-4000-8000-${String(counter).padStart(8, '0')}${String(i).padStart(4, '0')}`,
      type: e.type,
      schemaVersion: currentSchemaVersion(e.type),
      data: e.data,
      metadata: {
        commandId,
        correlationId: `corr-${commandId}`,
        causationId: commandId,
        actor: options.actor ?? { id: 'officer-1', role: 'placement-officer' },
        ...(options.effectiveAt ? { effectiveAt: options.effectiveAt } : {}),
      },
    })),
  );
  return store.readStream(streamId, { direction: 'backwards', maxCount: events.length });
}
