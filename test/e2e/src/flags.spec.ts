import type { ChildBody } from '@placement/api';
import type { Clock } from '@placement/event-store';
import { aBed, aMeeting, aPlacement, aSetting } from '@placement/test-support';
import { api, startServer, withServer, TestServer, TOKENS } from './support/server';
import { bensEmergencyPlacement, bensEmergencyReferral, expectCreated, refer } from './support/fixtures';

/*
 * Flags that must not stay true, nor stay false: an emergency placed before its matching
 * meeting is flagged on the bed, its home and the child until a matched meeting is recorded;
 * a young person aged 18 or over in a home registered up to 17 is flagged on all three from
 * their 18th birthday (today's London date, from the app's clock).
 */

interface Flags {
  unmatchedEmergency: boolean;
  aged18InHomeRegisteredTo17: boolean;
}
interface SettingView {
  flags: Flags;
  beds: { bedId: string; flags: Flags; state: { status: string; occupant?: { unmatchedEmergency: boolean } } }[];
}
interface CapacityView {
  units: { beds: { settingId: string; bedId: string; flags: Flags }[] };
}

class SetClock implements Clock {
  constructor(public at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
}

const NONE: Flags = { unmatchedEmergency: false, aged18InHomeRegisteredTo17: false };

async function post(server: TestServer, route: string, token: string, body: unknown): Promise<string> {
  const res = await api<{ position: string }>(server, 'POST', route, { token, body });
  if (res.status !== 201) throw new Error(`POST ${route} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.position;
}

async function setting(server: TestServer, settingId: string): Promise<SettingView> {
  const res = await api<SettingView>(server, 'GET', `/v1/settings/${settingId}`, { token: TOKENS.auditor });
  expect(res.status).toBe(200);
  return res.body;
}

async function childFlags(server: TestServer, childId: string): Promise<Flags> {
  const res = await api<ChildBody>(server, 'GET', `/v1/children/${childId}`, { token: TOKENS.auditor });
  expect(res.status).toBe(200);
  const { unmatchedEmergency, aged18InHomeRegisteredTo17 } = res.body.flags;
  return { unmatchedEmergency, aged18InHomeRegisteredTo17 };
}

/** Each bed's flags in the capacity read model, once it has seen `position`. */
async function capacityFlags(server: TestServer, position?: string): Promise<Record<string, Flags>> {
  const query = position === undefined ? '' : `?minPosition=${position}`;
  const res = await api<CapacityView>(server, 'GET', `/v1/capacity${query}`, { token: TOKENS.auditor });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.units.beds.map((b) => [`${b.settingId}.${b.bedId}`, b.flags]));
}

describe('flags on the setting, the bed and the child', () => {
  jest.setTimeout(120_000);

  describe('on a store of its own', () => {
    const clock = new SetClock(new Date('2026-06-29T12:00:00.000Z'));
    const server = withServer({}, { clock });

    it('unmatched emergency: raised by the placement, cleared everywhere by the matched meeting', async () => {
      await expectCreated(
        server,
        '/v1/settings',
        TOKENS.admin,
        aSetting({ settingId: 'ash', registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 2 } }),
      );
      for (const bedId of ['e1', 'e2'])
        await expectCreated(
          server,
          '/v1/settings/ash/beds',
          TOKENS.admin,
          aBed({ bedId, kind: 'emergency', label: bedId.toUpperCase() }),
        );
      await expectCreated(
        server,
        '/v1/referrals',
        TOKENS.placement,
        bensEmergencyReferral({ startDate: '2026-06-29' }),
      );
      const placed = await post(
        server,
        '/v1/placements',
        TOKENS.placement,
        bensEmergencyPlacement({ startDate: '2026-06-29' }),
      );

      const flagged = { ...NONE, unmatchedEmergency: true };
      const before = await setting(server, 'ash');
      expect(before.flags).toEqual(flagged);
      expect(before.beds.map((b) => [b.bedId, b.flags])).toEqual([
        ['e1', flagged],
        ['e2', NONE],
      ]);
      expect(await childFlags(server, 'ben')).toEqual(flagged);
      expect(await capacityFlags(server, placed)).toEqual({ 'ash.e1': flagged, 'ash.e2': NONE });

      // A meeting that did not match leaves it flagged; the matched one clears it.
      await post(server, '/v1/referrals/r-ben/matching-meetings', TOKENS.placement, {
        ...aMeeting({ meetingId: 'm-ben-1', settingId: 'ash', decision: 'deferred' }),
        heldOn: '2026-06-29',
      });
      expect((await setting(server, 'ash')).flags).toEqual(flagged);
      const met = await post(server, '/v1/referrals/r-ben/matching-meetings', TOKENS.placement, {
        ...aMeeting({ meetingId: 'm-ben-2', settingId: 'ash' }),
        heldOn: '2026-06-29',
      });
      const after = await setting(server, 'ash');
      expect(after.flags).toEqual(NONE);
      expect(after.beds.map((b) => [b.bedId, b.flags])).toEqual([
        ['e1', NONE],
        ['e2', NONE],
      ]);
      // The occupant's own flag in the bed's state says the same, not what it was when placed.
      expect(after.beds[0].state.occupant?.unmatchedEmergency).toBe(false);
      expect(await childFlags(server, 'ben')).toEqual(NONE);
      expect(await capacityFlags(server, met)).toEqual({ 'ash.e1': NONE, 'ash.e2': NONE });
    });

    it('aged 18 in a home registered to 17: flagged from the 18th birthday, London time', async () => {
      await expectCreated(server, '/v1/settings', TOKENS.admin, aSetting({ settingId: 'elm' }));
      for (const bedId of ['b1', 'b2'])
        await expectCreated(server, '/v1/settings/elm/beds', TOKENS.admin, aBed({ bedId, label: bedId }));
      // Cal turns 18 on 1 July 2026; Dee is 14.
      for (const [childId, dateOfBirth] of [
        ['cal', '2008-07-01'],
        ['dee', '2012-01-15'],
      ])
        await refer(server, { referralId: `r-${childId}`, childId, startDate: '2026-06-29', child: { dateOfBirth } });
      await post(server, '/v1/referrals/r-cal/matching-meetings', TOKENS.placement, {
        ...aMeeting({ meetingId: 'm-cal', settingId: 'elm' }),
        heldOn: '2026-06-28',
      });
      await post(server, '/v1/referrals/r-dee/matching-meetings', TOKENS.placement, {
        ...aMeeting({ meetingId: 'm-dee', settingId: 'elm', residents: ['cal'] }),
        heldOn: '2026-06-28',
      });
      await post(
        server,
        '/v1/placements',
        TOKENS.placement,
        aPlacement({
          placementId: 'p-cal',
          childId: 'cal',
          referralId: 'r-cal',
          settingId: 'elm',
          bedId: 'b1',
          startDate: '2026-06-29',
        }),
      );
      const placed = await post(
        server,
        '/v1/placements',
        TOKENS.placement,
        aPlacement({
          placementId: 'p-dee',
          childId: 'dee',
          referralId: 'r-dee',
          settingId: 'elm',
          bedId: 'b2',
          startDate: '2026-06-29',
        }),
      );

      // 23:30 on 30 June in London (22:30 UTC): still 17.
      clock.at = new Date('2026-06-30T22:30:00.000Z');
      expect((await setting(server, 'elm')).flags).toEqual(NONE);
      expect(await childFlags(server, 'cal')).toEqual(NONE);
      expect((await capacityFlags(server, placed))['elm.b1']).toEqual(NONE);

      // 00:30 on 1 July in London (still 30 June in UTC): 18 today.
      clock.at = new Date('2026-06-30T23:30:00.000Z');
      const adult = { ...NONE, aged18InHomeRegisteredTo17: true };
      const elm = await setting(server, 'elm');
      expect(elm.flags).toEqual(adult);
      expect(elm.beds.map((b) => [b.bedId, b.flags])).toEqual([
        ['b1', adult],
        ['b2', NONE],
      ]);
      expect(await childFlags(server, 'cal')).toEqual(adult);
      expect(await childFlags(server, 'dee')).toEqual(NONE);
      const capacity = await capacityFlags(server, placed);
      expect([capacity['elm.b1'], capacity['elm.b2']]).toEqual([adult, NONE]);
    });
  });

  it('the demo estate shows its two young people aged 18 in homes to 17, and its unmatched emergency', async () => {
    const server = await startServer(
      { SEED_DEMO_ESTATE: 'true' },
      { clock: new SetClock(new Date('2026-11-30T10:00:00.000Z')) },
    );
    try {
      const capacity = await capacityFlags(
        server,
        (await api<{ details: { eventStore: { headPosition: string } } }>(server, 'GET', '/health')).body.details
          .eventStore.headPosition,
      );
      const flagged = (flag: keyof Flags) =>
        Object.entries(capacity)
          .filter(([, flags]) => flags[flag])
          .map(([bed]) => bed);
      expect(flagged('aged18InHomeRegisteredTo17')).toEqual(['rmbc-ch-01.b3', 'rmbc-ch-04.b1']);
      expect(flagged('unmatchedEmergency')).toEqual(['rmbc-ch-07.e1']);

      const settingsFlagged: string[] = [];
      for (let i = 1; i <= 7; i++) {
        const view = await setting(server, `rmbc-ch-0${i}`);
        for (const bed of view.beds)
          if (bed.flags.aged18InHomeRegisteredTo17) settingsFlagged.push(`rmbc-ch-0${i}.${bed.bedId}`);
        expect(view.flags.aged18InHomeRegisteredTo17).toBe(i === 1 || i === 4);
        expect(view.flags.unmatchedEmergency).toBe(i === 7);
      }
      expect(settingsFlagged).toEqual(['rmbc-ch-01.b3', 'rmbc-ch-04.b1']);
      // The seed's children c0003 and c0009 live in those beds.
      expect((await childFlags(server, 'c0003')).aged18InHomeRegisteredTo17).toBe(true);
      expect((await childFlags(server, 'c0009')).aged18InHomeRegisteredTo17).toBe(true);
      expect((await childFlags(server, 'c0001')).aged18InHomeRegisteredTo17).toBe(false);
    } finally {
      await server.close();
    }
  });
});
