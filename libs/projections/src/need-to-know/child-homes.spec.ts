import { childHomesProjection } from './child-homes.projection';
import { childrenKnownToHomes, isChildKnownToHomes, readChildHomes } from './child-homes.query';
import { liveAndRebuiltTables, on, openStore, record, runToHead, tempFilesEachTest } from '../testing/harness';
import { bedHeld, matchesProposed, meetingHeld, placementStarted, referralReceived } from '../testing/audit-fixtures';

/**
 * Need to know, worked by hand: four children and four homes.
 * - c-live lives at h-1 (placed in bed h-1.b1).
 * - c-held was referred (r-held) and a bed at h-2 was held for that referral.
 * - c-prop's referral r-prop was proposed h-3 (ranked) and h-4 (excluded: not a proposal to h-4).
 * - c-meet's referral r-meet had a matching meeting considering h-4, then a placement at a
 *   foster household (not a home), which adds nothing.
 * - c-none was referred but nothing was taken or proposed for it.
 */
const AT = '2026-11-20T10:00:00Z';
const events = [
  on('referral-r-held', referralReceived('r-held', 'c-held', AT)),
  on('referral-r-prop', referralReceived('r-prop', 'c-prop', AT)),
  on('referral-r-meet', referralReceived('r-meet', 'c-meet', AT)),
  on('referral-r-none', referralReceived('r-none', 'c-none', AT)),
  on('child-c-live', placementStarted('c-live', 'p-live', 'h-1', 'b1', null, '2026-11-01')),
  on('bed-h-2.b1', bedHeld('h-2', 'b1', 'r-held', 'c-held', AT, '2026-11-22T10:00:00Z')),
  on(
    'referral-r-prop',
    matchesProposed(
      'r-prop',
      AT,
      [{ settingId: 'h-3', bedId: 'b2' }],
      [{ settingId: 'h-4', bedId: 'b1', reason: 'x' }],
    ),
  ),
  on('referral-r-meet', meetingHeld('r-meet', 'm-1', 'h-4', [], '2026-11-21')),
  on('child-c-meet', {
    ...placementStarted('c-meet', 'p-meet', 'h-4', 'b1', 'r-meet', '2026-11-23'),
    data: {
      ...placementStarted('c-meet', 'p-meet', 'h-4', 'b1', 'r-meet', '2026-11-23').data,
      unit: { kind: 'household', householdId: 'fh-1' },
    },
  }),
  // A second proposal naming h-3 again, and the child placed where it was held: each reason is kept once.
  on('referral-r-prop', matchesProposed('r-prop', AT, [{ settingId: 'h-3', bedId: 'b1' }])),
  on('child-c-held', placementStarted('c-held', 'p-held', 'h-2', 'b1', 'r-held', '2026-11-22')),
];

describe('child-homes: the homes each child is known to (need to know)', () => {
  const files = tempFilesEachTest('child-homes');

  it('knows a child only at the homes it lives or lived in, was held at, proposed to or met about', async () => {
    const store = await openStore(files);
    await record(store, ...events);
    const { db, runner } = await runToHead(store, files.readModelsPath(), [childHomesProjection]);
    try {
      const homes = (childId: string) => readChildHomes(db, childId).map((h) => `${h.settingId}:${h.relation}`);
      expect(homes('c-live')).toEqual(['h-1:placed']);
      expect(homes('c-held')).toEqual(['h-2:held', 'h-2:placed']);
      expect(homes('c-prop')).toEqual(['h-3:proposed']);
      expect(homes('c-meet')).toEqual(['h-4:meeting']);
      expect(homes('c-none')).toEqual([]);
      // The first event that made the home know the child is kept (the second proposal is later).
      expect(readChildHomes(db, 'c-prop')[0].position).toBe('6');

      expect(isChildKnownToHomes(db, 'c-prop', ['h-1', 'h-3'])).toBe(true);
      expect(isChildKnownToHomes(db, 'c-prop', ['h-4'])).toBe(false);
      expect(isChildKnownToHomes(db, 'c-none', ['h-1', 'h-2', 'h-3', 'h-4'])).toBe(false);
      expect(isChildKnownToHomes(db, 'c-live', [])).toBe(false);
      expect(childrenKnownToHomes(db, ['h-2', 'h-4'])).toEqual(['c-held', 'c-meet']);
      expect(childrenKnownToHomes(db, [])).toEqual([]);
    } finally {
      await runner.stop();
      db.close();
      await store.close();
    }
  });

  it('gives the same tables when rebuilt from zero as when fed live, event by event', async () => {
    const { live, rebuilt } = await liveAndRebuiltTables(files, [childHomesProjection], async (store, runner) => {
      let position = 0n;
      for (const event of events) {
        position = await record(store, event);
        expect(await runner.waitFor(position, { timeoutMs: 10_000 })).toBe(true);
      }
      return position;
    });
    expect(rebuilt).toEqual(live);
  });
});
