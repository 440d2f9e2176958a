import type { ChildBody } from '@placement/api';
import { openSqliteEventStore } from '@placement/event-store';
import { aHousehold, aPlacement } from '@placement/test-support';
import { api, withServer, TOKENS } from './support/server';
import { expectCreated, homeWithResidents, refer, referAndMatch } from './support/fixtures';

interface SettingView {
  beds: { bedId: string; state: { status: string; occupant?: { childId: string; placementId: string } } }[];
}

const CONTENDERS = 30;

describe('contention for the last unit over HTTP', () => {
  const server = withServer();

  /** Every child's placement (p-`childId`, under r-`childId`) into the same unit, all sent at once. */
  const placeAllAtOnce = (children: string[], placement: Parameters<typeof aPlacement>[0]) =>
    Promise.all(
      children.map((childId) =>
        api<{ code?: string }>(server, 'POST', '/v1/placements', {
          token: TOKENS.placement,
          body: aPlacement({ placementId: `p-${childId}`, childId, referralId: `r-${childId}`, ...placement }),
        }),
      ),
    );

  it('gives the last vacant bed to exactly one of 30 children; the others get 409 and the streams agree', async () => {
    await homeWithResidents(server, 'pine', 2, ['resident']);
    const children = Array.from({ length: CONTENDERS }, (_, i) => `kid-${i}`);
    for (const childId of children) {
      await referAndMatch(server, childId, 'pine', ['resident']);
    }
    const responses = await placeAllAtOnce(children, { settingId: 'pine', bedId: 'b2' });
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(CONTENDERS - 1);
    for (const r of responses.filter((x) => x.status === 409))
      expect(['BED_NOT_VACANT', 'CONCURRENT_UPDATE']).toContain(r.body.code);

    const winner = children[statuses.indexOf(201)];
    const setting = await api<SettingView>(server, 'GET', '/v1/settings/pine', { token: TOKENS.auditor });
    expect(setting.body.beds[1].state.occupant).toEqual(
      expect.objectContaining({ childId: winner, placementId: `p-${winner}` }),
    );
    for (const childId of children) {
      const child = await api<ChildBody>(server, 'GET', `/v1/children/${childId}`, { token: TOKENS.auditor });
      expect(child.body.child.placements.map((p) => p.placementId)).toEqual(childId === winner ? [`p-${winner}`] : []);
    }
    // Read the log itself: one BedOccupied on the bed stream, no compensation needed.
    const store = await openSqliteEventStore({ path: server.sqlitePath });
    try {
      const bedEvents = await store.readStream('bed-pine.b2');
      expect(bedEvents.filter((e) => e.type === 'BedOccupied')).toHaveLength(1);
      expect(bedEvents.filter((e) => e.type === 'BedVacated')).toHaveLength(0);
    } finally {
      await store.close();
    }
  });

  it("gives a household's last approved place to exactly one of 30 children", async () => {
    await expectCreated(
      server,
      '/v1/foster-households',
      TOKENS.admin,
      aHousehold({ householdId: 'fh-last', terms: { maxChildren: 1 } }),
    );
    const children = Array.from({ length: CONTENDERS }, (_, i) => `fk-${i}`);
    for (const childId of children) await refer(server, { referralId: `r-${childId}`, childId });
    const responses = await placeAllAtOnce(children, {
      unit: { kind: 'household', householdId: 'fh-last' },
      place: 'U6',
      placementType: 'long-term',
    });
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(CONTENDERS - 1);
    const winner = children[statuses.indexOf(201)];
    for (const childId of children) {
      const child = await api<ChildBody>(server, 'GET', `/v1/children/${childId}`, { token: TOKENS.auditor });
      expect(child.body.child.placements.length).toBe(childId === winner ? 1 : 0);
    }
    const store = await openSqliteEventStore({ path: server.sqlitePath });
    try {
      const events = await store.readStream('household-fh-last');
      expect(
        events.filter((e) => e.type === 'ChildPlacedWithHousehold').map((e) => (e.data as { childId: string }).childId),
      ).toEqual([winner]);
    } finally {
      await store.close();
    }
  });
});
