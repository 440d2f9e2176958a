import { randomUUID } from 'node:crypto';
import type { BedOccupied, ChildRegistered, PlacementStarted } from '@placement/domain';

/*
 * Events as the handlers record them, for tests and tools that write a log directly: records made
 * before today's checks, a write cut short by a crash, a back-dated fact. Each override replaces
 * one field of the event's data; the defaults are a girl registered in Rotherham, placed in a
 * children's home's bed.
 */

export function aChildRegistered(
  data: Partial<ChildRegistered['data']> & Pick<ChildRegistered['data'], 'childId'>,
): ChildRegistered {
  return {
    type: 'ChildRegistered',
    data: {
      sex: 'F',
      dateOfBirth: '2012-03-04',
      localAuthority: 'E08000018',
      homePostcode: 'S60 1AA',
      categoryOfNeed: 'N1',
      ethnicity: null,
      upn: null,
      ...data,
    },
  };
}

export function aPlacementStarted(
  data: Partial<PlacementStarted['data']> & Pick<PlacementStarted['data'], 'childId'>,
): PlacementStarted {
  return {
    type: 'PlacementStarted',
    data: {
      placementId: `p-${data.childId}`,
      unit: { kind: 'bed', settingId: 'home-1', bedId: 'b1' },
      place: 'K2',
      placeProvider: 'PR1',
      legalStatus: 'C2',
      startDate: '2026-03-05',
      emergency: false,
      unmatchedEmergency: false,
      referralId: null,
      placementPostcode: 'S60 1AA',
      urn: 'SC100001',
      sameCarerAsPrevious: false,
      startsPeriodOfCare: true,
      stepDownId: null,
      ...data,
    },
  };
}

export function aBedOccupied(
  data: Partial<BedOccupied['data']> & Pick<BedOccupied['data'], 'settingId' | 'bedId' | 'placementId' | 'childId'>,
): BedOccupied {
  return {
    type: 'BedOccupied',
    data: {
      bedKind: 'residential',
      referralId: null,
      emergency: false,
      matchingMeetingId: null,
      unmatchedEmergency: false,
      startDate: '2026-03-05',
      at: '2026-03-05T10:00:00.000Z',
      ...data,
    },
  };
}

/** `events` ready to append as `actor` wrote them, each under a command of its own (fresh ids). */
export function writtenBy(actor: { id: string; role: string }, events: readonly { type: string; data: object }[]) {
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actor },
  }));
}
