import type { CapacityBody, ChildBody } from '@placement/api';
import { addDays } from '@placement/domain';
import { aHousehold, aMeeting, aPlacement, aSetting, aStepDown } from '@placement/test-support';
import { expectCreated, refer } from './support/fixtures';
import { TestClock } from './support/clock';
import { api, withServer, TOKENS, type ApiResponse } from './support/server';
import { sseReader } from './support/sse';
import type { Problem } from './support/bodies';

/**
 * Issue 13, "Dates are facts": each reproduction at the top of the issue, replayed over HTTP on
 * the seeded estate, now gets the refusal (or the booked-later state) instead of a double booking.
 * The server's clock is pinned: today is Friday 20 November 2026 in London.
 */
const TODAY = '2026-11-20';
const day = (n: number): string => addDays(TODAY, n);

interface Booking {
  placementId: string;
  childId: string;
  from: string;
  to: string | null;
}
interface BedNight {
  status: 'Vacant' | 'Reserved' | 'Held' | 'Occupied' | 'OutOfUse';
  occupant?: Booking;
  next: { date: string; change: string; placementId: string | null } | null;
}
interface SettingView {
  beds: {
    bedId: string;
    state: BedNight;
    diary: { occupancies: Booking[]; outOfUse: { from: string; to: string | null }[] };
  }[];
}

describe('dates are facts: the reproductions of issue 13, over HTTP', () => {
  const clock = new TestClock(`${TODAY}T10:00:00Z`);
  const server = withServer({ SEED_DEMO_ESTATE: 'true' }, { clock });

  const post = <T = Problem>(route: string, body: unknown, token: string = TOKENS.placement): Promise<ApiResponse<T>> =>
    api<T>(server, 'POST', route, { token, body });
  const bedsOf = async (settingId: string) =>
    (await api<SettingView>(server, 'GET', `/v1/settings/${settingId}`, { token: TOKENS.auditor })).body.beds;
  const bed = async (settingId: string, bedId: string) => {
    const found = (await bedsOf(settingId)).find((b) => b.bedId === bedId);
    if (!found) throw new Error(`no bed ${settingId}.${bedId}`);
    return found;
  };
  const headOf = async (): Promise<string> =>
    (await api<{ head: { position: string } | null }>(server, 'GET', '/v1/audit/verify', { token: TOKENS.auditor }))
      .body.head?.position ?? '-1';
  /** `body` sent to `route` is refused with `status` and the rule `code`; the problem, for what else it says. */
  const refused = async (status: number, code: string, route: string, body: unknown, token?: string) => {
    const res = await post(route, body, token);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    return res;
  };
  /** A child referred from `startDate`, matched for `settingId` after assessing `residents`. */
  const referAndMatch = async (childId: string, startDate: string, settingId: string, residents: string[]) => {
    await refer(server, {
      referralId: `r-${childId}`,
      childId,
      startDate,
      child: { dateOfBirth: '2011-02-02', sex: 'F' },
    });
    await expectCreated(server, `/v1/referrals/r-${childId}/matching-meetings`, TOKENS.placement, {
      ...aMeeting({ meetingId: `m-${childId}`, settingId, residents }),
      heldOn: TODAY,
    });
  };

  it('1. an end in two weeks keeps the bed occupied until then; a second child from tomorrow is refused', async () => {
    const ended = await post<{ events: string[] }>('/v1/placements/pl-c0001/end', {
      endDate: day(14),
      reasonForChange: 'CARPL',
    });
    expect(ended.status).toBe(201);
    expect(ended.body.events).toEqual(['PlacementEnded', 'BedVacated']);

    // Tonight c0001 still lives there: occupied, with the planned departure as the next change.
    const b1 = await bed('rmbc-ch-01', 'b1');
    expect(b1.state).toMatchObject({
      status: 'Occupied',
      occupant: { placementId: 'pl-c0001', childId: 'c0001', to: day(14) },
      next: { date: day(14), change: 'departure', placementId: 'pl-c0001' },
    });

    // Matching does not offer it to a child who would move in tomorrow.
    await referAndMatch('next-1', day(1), 'rmbc-ch-01', ['c0002', 'c0003']);
    const matches = await api<{
      ranked: { unitId: string }[];
      excluded: { unitId: string; reasons: { code: string }[] }[];
    }>(server, 'GET', '/v1/referrals/r-next-1/matches?detail=full&limit=200', { token: TOKENS.placement });
    expect(matches.body.ranked.map((u) => u.unitId)).not.toContain('bed:rmbc-ch-01.b1');
    expect(matches.body.excluded.find((u) => u.unitId === 'bed:rmbc-ch-01.b1')?.reasons[0]?.code).toBe('OCCUPIED');

    // Placing from tomorrow is refused with the dates of the booking it would overlap, and writes nothing.
    const head = await headOf();
    const next1 = (startDate: string) =>
      aPlacement({
        placementId: 'pl-next-1',
        childId: 'next-1',
        referralId: 'r-next-1',
        settingId: 'rmbc-ch-01',
        bedId: 'b1',
        startDate,
      });
    const tomorrow = await refused(409, 'BED_NOT_VACANT', '/v1/placements', next1(day(1)));
    expect(tomorrow.body.detail).toMatch(
      new RegExp(`occupied by another placement from \\d{4}-\\d{2}-\\d{2} until ${day(14)}`),
    );
    expect(await headOf()).toBe(head);

    // From the day c0001 leaves, the next child is booked: the bed is still c0001's tonight.
    const later = await post('/v1/placements', next1(day(14)));
    expect(later.status).toBe(201);
    const after = await bed('rmbc-ch-01', 'b1');
    expect(after.state.status).toBe('Occupied');
    // Capacity tonight and on the day of the move, from the read model.
    const capacity = async (query = '') => {
      const res = await api<CapacityBody>(server, 'GET', `/v1/capacity${query}`, { token: TOKENS.auditor });
      const unit = res.body.units.beds.find((b) => b.settingId === 'rmbc-ch-01' && b.bedId === 'b1');
      return { body: res.body, unit };
    };
    const minPosition = `?minPosition=${(later.body as unknown as { position: string }).position}`;
    expect((await capacity(minPosition)).unit).toMatchObject({
      status: 'occupied',
      occupied: { placementId: 'pl-c0001', until: day(14) },
      next: { date: day(14), change: 'departure' },
    });
    const onTheDay = await capacity(`${minPosition}&on=${day(14)}`);
    expect(onTheDay.body.on).toBe(day(14));
    expect(onTheDay.unit).toMatchObject({ status: 'occupied', occupied: { placementId: 'pl-next-1', until: null } });
    // The bed's own diary never overlaps: c0001 until the 4th, the next child from the 4th.
    expect(after.diary.occupancies.map((o) => [o.placementId, o.from, o.to])).toEqual([
      ['pl-c0001', expect.any(String), day(14)],
      ['pl-next-1', day(14), null],
    ]);
  });

  it('2. a step-down completion dated ahead is refused; the bed stays occupied and cannot be held', async () => {
    await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: 'fh-dates' }));
    await expectCreated(
      server,
      '/v1/step-downs',
      TOKENS.placement,
      aStepDown({
        stepDownId: 'sd-c0006',
        childId: 'c0006',
        toHouseholdId: 'fh-dates',
        plannedDate: day(7),
        safetyPlan: { ...aStepDown().safetyPlan, reviewDate: day(30) },
        milestones: [{ milestoneId: 'ms-1', kind: 'introductions', dueDate: day(3) }],
      }),
    );
    const head = await headOf();
    await refused(422, 'DATE_IN_FUTURE', '/v1/step-downs/sd-c0006/complete', {
      newPlacementId: 'pl-c0006-fh',
      date: day(7),
      place: 'U4',
    });
    expect(await headOf()).toBe(head);
    expect((await bed('rmbc-ch-03', 'b1')).state).toMatchObject({ status: 'Occupied', occupant: { childId: 'c0006' } });

    // Another referral cannot hold the bed c0006 still sleeps in.
    await referAndMatch('next-2', day(1), 'rmbc-ch-03', []);
    await refused(409, 'BED_NOT_VACANT', '/v1/referrals/r-next-2/holds', {
      settingId: 'rmbc-ch-03',
      bedId: 'b1',
      until: `${day(2)}T10:00:00Z`,
    });
  });

  it('3a. a placement back-dated five days is refused from a bed whose occupant left yesterday', async () => {
    expect((await post('/v1/placements/pl-c0002/end', { endDate: day(-1), reasonForChange: 'CHILD' })).status).toBe(
      201,
    );
    expect((await bed('rmbc-ch-01', 'b2')).state.status).toBe('Vacant');
    await referAndMatch('late-1', day(-5), 'rmbc-ch-01', ['c0001', 'c0003']);
    const late1 = (startDate: string) =>
      aPlacement({
        placementId: 'pl-late-1',
        childId: 'late-1',
        referralId: 'r-late-1',
        settingId: 'rmbc-ch-01',
        bedId: 'b2',
        startDate,
      });
    const backDated = await refused(409, 'BED_NOT_VACANT', '/v1/placements', late1(day(-5)));
    expect(backDated.body.detail).toMatch(`until ${day(-1)}`);
    // From the day c0002 left it fits the diary.
    const fromYesterday = await post('/v1/placements', late1(day(-1)));
    expect(fromYesterday.status).toBe(201);
  });

  it('3b. reg 14 covers everyone living in the home on the start date, not only today’s residents', async () => {
    expect((await post('/v1/placements/pl-c0005/end', { endDate: day(-2), reasonForChange: 'CHILD' })).status).toBe(
      201,
    );
    // Today only c0004 lives at Beechcroft; on the start date five days ago c0005 did too.
    await referAndMatch('late-2', day(-5), 'rmbc-ch-02', ['c0004']);
    const placement = aPlacement({
      placementId: 'pl-late-2',
      childId: 'late-2',
      referralId: 'r-late-2',
      settingId: 'rmbc-ch-02',
      bedId: 'b3',
      startDate: day(-5),
    });
    const todayOnly = await refused(422, 'MATCHING_REQUIRED', '/v1/placements', placement);
    expect(todayOnly.body.detail).toMatch('not assessed: c0005');
    await expectCreated(server, '/v1/referrals/r-late-2/matching-meetings', TOKENS.placement, {
      ...aMeeting({ meetingId: 'm-late-2b', settingId: 'rmbc-ch-02', residents: ['c0004', 'c0005'] }),
      heldOn: day(-6),
    });
    expect((await post('/v1/placements', placement)).status).toBe(201);
  });

  it('4. out of use and back in use take effect on their dates; back in use before out of use is 422', async () => {
    const route = '/v1/settings/rmbc-ch-05/beds/b2';
    expect((await post(`${route}/out-of-use`, { reason: 'maintenance', from: day(3) }, TOKENS.admin)).status).toBe(201);
    expect((await bed('rmbc-ch-05', 'b2')).state).toEqual(
      expect.objectContaining({ status: 'Vacant', next: { date: day(3), change: 'out-of-use', placementId: null } }),
    );
    const head = await headOf();
    await refused(422, 'INVALID_DATES', `${route}/back-in-use`, { date: day(1) }, TOKENS.admin);
    expect(await headOf()).toBe(head);
    expect((await post(`${route}/back-in-use`, { date: day(8) }, TOKENS.admin)).status).toBe(201);
    expect((await bed('rmbc-ch-05', 'b2')).diary.outOfUse).toEqual([
      expect.objectContaining({ from: day(3), to: day(8) }),
    ]);

    // Out of use since Wednesday: back in use dated Sunday leaves it out of use tonight, and free from Sunday.
    expect(
      (await post(`${route}/out-of-use`, { reason: 'damage', from: day(-2), to: day(3) }, TOKENS.admin)).status,
    ).toBe(201);
    expect((await post(`${route}/back-in-use`, { date: day(2) }, TOKENS.admin)).status).toBe(201);
    expect((await bed('rmbc-ch-05', 'b2')).state).toEqual(
      expect.objectContaining({ status: 'OutOfUse', next: { date: day(2), change: 'back-in-use', placementId: null } }),
    );
  });

  it('5. a placement starting next week leaves the bed free tonight: reserved, not occupied', async () => {
    await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'dates-home', urn: 'SC100077' }));
    await expectCreated(server, '/v1/settings/dates-home/beds', TOKENS.admin, {
      bedId: 'b1',
      kind: 'residential',
      label: 'Room 1',
    });
    await referAndMatch('next-3', day(7), 'dates-home', []);
    expect(
      (
        await post(
          '/v1/placements',
          aPlacement({
            placementId: 'pl-next-3',
            childId: 'next-3',
            referralId: 'r-next-3',
            settingId: 'dates-home',
            bedId: 'b1',
            startDate: day(7),
          }),
        )
      ).status,
    ).toBe(201);
    expect((await bed('dates-home', 'b1')).state).toEqual(
      expect.objectContaining({
        status: 'Reserved',
        next: { date: day(7), change: 'arrival', placementId: 'pl-next-3' },
      }),
    );
    // Matching from tomorrow offers it only to a placement that ends before the arrival, with a caution.
    await refer(server, {
      referralId: 'r-short',
      childId: 'short-1',
      startDate: day(1),
      child: { dateOfBirth: '2011-02-02', sex: 'F' },
    });
    type Matches = {
      ranked: { unitId: string; cautions: { code: string }[] }[];
      excluded: { unitId: string; reasons: { code: string; message: string }[] }[];
    };
    const open = await api<Matches>(server, 'GET', '/v1/referrals/r-short/matches?detail=full&limit=200', {
      token: TOKENS.placement,
    });
    expect(open.body.excluded.find((u) => u.unitId === 'bed:dates-home.b1')?.reasons).toEqual([
      expect.objectContaining({ code: 'BOOKED_FROM', message: expect.stringContaining(day(7)) }),
    ]);
    const shortBreak = await api<Matches>(
      server,
      'GET',
      `/v1/referrals/r-short/matches?detail=full&limit=200&until=${day(5)}`,
      {
        token: TOKENS.placement,
      },
    );
    expect(shortBreak.body.ranked.find((u) => u.unitId === 'bed:dates-home.b1')?.cautions.map((c) => c.code)).toEqual([
      'FREE_UNTIL',
    ]);
    // Tonight's vacancies count it: the read model has it reserved, free tonight.
    const tonight = await api<CapacityBody>(server, 'GET', '/v1/capacity', { token: TOKENS.auditor });
    const unit = tonight.body.units.beds.find((b) => b.settingId === 'dates-home');
    expect(unit).toMatchObject({ status: 'reserved', reserved: { placementId: 'pl-next-3', from: day(7) } });
    expect(tonight.body.totals.residential.reserved).toBeGreaterThanOrEqual(1);
    const child = await api<ChildBody>(server, 'GET', '/v1/children/next-3', { token: TOKENS.auditor });
    expect(child.body.child.placements).toEqual([
      expect.objectContaining({ placementId: 'pl-next-3', startDate: day(7) }),
    ]);
  });

  it('6. a meeting "held" tomorrow and a milestone "met" next month are refused (422 DATE_IN_FUTURE)', async () => {
    await refer(server, {
      referralId: 'r-future',
      childId: 'future-1',
      startDate: day(10),
      child: { dateOfBirth: '2011-02-02' },
    });
    const head = await headOf();
    await refused(422, 'DATE_IN_FUTURE', '/v1/referrals/r-future/matching-meetings', {
      ...aMeeting({ meetingId: 'm-future', settingId: 'rmbc-ch-01' }),
      heldOn: day(1),
    });
    await refused(422, 'DATE_IN_FUTURE', '/v1/step-downs/sd-c0006/milestones', {
      milestoneId: 'ms-1',
      date: day(30),
      outcome: 'met',
    });
    expect(await headOf()).toBe(head);
    // Met today, the milestone is a fact like any other.
    const met = await post('/v1/step-downs/sd-c0006/milestones', { milestoneId: 'ms-1', date: TODAY, outcome: 'met' });
    expect(met.status).toBe(201);
  });

  it('7. the step-down, completed on the day it happens, frees the bed from that day', async () => {
    clock.moveTo(`${day(7)}T16:00:00Z`);
    const done = await post<{ events: string[] }>('/v1/step-downs/sd-c0006/complete', {
      newPlacementId: 'pl-c0006-fh',
      date: day(7),
      place: 'U4',
    });
    expect(done.status).toBe(201);
    expect(done.body.events).toEqual([
      'ChildPlacedWithHousehold',
      'PlacementEnded',
      'PlacementStarted',
      'StepDownCompleted',
      'BedVacated',
    ]);
    expect((await bed('rmbc-ch-03', 'b1')).state.status).toBe('Vacant');
  });

  it('8. at midnight the capacity read model rolls over, pushing the units whose night changed', async () => {
    const stream = await fetch(`${server.baseUrl}/v1/capacity/stream`, {
      headers: { authorization: `Bearer ${TOKENS.auditor}`, accept: 'text/event-stream' },
    });
    const events = sseReader(stream.body as ReadableStream<Uint8Array>);
    const before = await events.next();
    expect(before.event).toBe('snapshot');
    // The period out of use from day 3 ends on day 8: the first read after midnight rolls over.
    clock.moveTo(`${day(8)}T00:05:00Z`);
    const read = await api<CapacityBody>(server, 'GET', '/v1/capacity', { token: TOKENS.auditor });
    expect(read.body.on).toBe(day(8));
    let delta = await events.next();
    while (delta.event !== 'delta' || (delta.data as CapacityBody).rolledOverFrom === undefined)
      delta = await events.next();
    const rolled = delta.data as CapacityBody;
    expect(rolled.rolledOverFrom).toBe(day(7));
    expect(rolled.on).toBe(day(8));
    expect(rolled.units.beds.find((b) => b.settingId === 'rmbc-ch-05' && b.bedId === 'b2')?.status).toBe('vacant');
    // Units whose night did not change are not pushed.
    expect(rolled.units.beds.find((b) => b.settingId === 'rmbc-ch-01' && b.bedId === 'b3')).toBeUndefined();
    await events.cancel();
    // A client back with an id from the night before is sent the whole of tonight, not only what events changed.
    const lastEventId = (before.data as { position: string }).position;
    const again = await fetch(`${server.baseUrl}/v1/capacity/stream`, {
      headers: { authorization: `Bearer ${TOKENS.auditor}`, accept: 'text/event-stream', 'last-event-id': lastEventId },
    });
    const resumption = sseReader(again.body as ReadableStream<Uint8Array>);
    const resumed = await resumption.next();
    await resumption.cancel();
    expect(resumed.event).toBe('snapshot');
    const tonight = resumed.data as CapacityBody & { resumedAfter?: string };
    expect([tonight.resumedAfter, tonight.on]).toEqual([lastEventId, day(8)]);
    expect(tonight.units.beds.find((b) => b.settingId === 'rmbc-ch-05' && b.bedId === 'b2')?.status).toBe('vacant');
  });

  it('9. a week view of each unit’s diary: placement, child, dates, planned or actual', async () => {
    const bad = await api(server, 'GET', `/v1/settings/rmbc-ch-01/diary?from=${day(10)}&to=${day(9)}`, {
      token: TOKENS.auditor,
    });
    expect(bad.status).toBe(400);
    const home = await api<{ today: string; beds: { bedId: string; bookings: Record<string, unknown>[] }[] }>(
      server,
      'GET',
      `/v1/settings/rmbc-ch-01/diary?from=${day(12)}&to=${day(18)}`,
      { token: TOKENS.manager },
    );
    expect(home.status).toBe(200);
    expect(home.body.today).toBe(day(8));
    expect(home.body.beds.find((b) => b.bedId === 'b1')?.bookings).toEqual([
      expect.objectContaining({
        placementId: 'pl-c0001',
        childId: 'c0001',
        to: day(14),
        arrival: 'actual',
        departure: 'planned',
      }),
      expect.objectContaining({
        placementId: 'pl-next-1',
        childId: 'next-1',
        from: day(14),
        to: null,
        arrival: 'planned',
        departure: null,
      }),
    ]);
    const family = await api<{ approvedPlaces: number; bookings: Record<string, unknown>[] }>(
      server,
      'GET',
      `/v1/foster-households/fh-dates/diary?from=${day(1)}&to=${day(7)}`,
      { token: TOKENS.placement },
    );
    expect(family.status).toBe(200);
    expect(family.body.bookings).toEqual([
      expect.objectContaining({
        placementId: 'pl-c0006-fh',
        childId: 'c0006',
        from: day(7),
        arrival: 'actual',
        departure: null,
      }),
    ]);
  });
});
