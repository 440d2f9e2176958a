import { MatchingIndex } from './matching-index';
import { needs, setting, snapshot, terms, unit } from './testing/builders';

const S60 = { postcodeDistrict: 'S60', easting: 443101, northing: 391226 };
const far = { postcodeDistrict: 'TR1', easting: 182000, northing: 44000 };

describe('MatchingIndex: the summary a placement officer sees first', () => {
  const estate = snapshot(
    [
      setting({ settingId: 'S-near', location: S60 }),
      setting({ settingId: 'S-far', location: far }),
      setting({ settingId: 'S-older', location: S60, terms: terms({ ageMin: 16, ageMax: 17 }) }),
    ],
    [
      unit({ unitId: 'U-1', settingId: 'S-near' }),
      unit({ unitId: 'U-2', settingId: 'S-near', weeklyCostPence: 300_000 }),
      unit({ unitId: 'U-3', settingId: 'S-near', state: { status: 'occupied' } }),
      unit({
        unitId: 'U-4',
        settingId: 'S-near',
        state: { status: 'held', referralId: 'R-7', until: '2026-03-05T00:00:00Z' },
      }),
      unit({
        unitId: 'U-5',
        settingId: 'S-near',
        state: { status: 'held', referralId: 'R-100', until: '2026-03-05T00:00:00Z' },
      }),
      unit({ unitId: 'U-6', settingId: 'S-far' }),
      unit({ unitId: 'U-7', settingId: 'S-older' }),
    ],
  );
  const index = MatchingIndex.build(estate);
  const referral = needs({ preferredArea: S60, maxDistanceKm: 50 });

  it('lists the best units and counts every other one under a reason', () => {
    const summary = index.match(referral, undefined, { limit: 2 });
    expect(summary.ranked.map((r) => r.unitId)).toEqual(['U-2', 'U-1']);
    expect(summary.rankedTotal).toBe(3);
    expect(summary.excluded).toEqual([]);
    expect(summary.excludedTotal).toBe(4);
    expect(summary.excludedByReason).toEqual({ OCCUPIED: 1, HELD: 1, OUT_OF_DISTANCE: 1, AGE_OUTSIDE_REGISTRATION: 1 });
  });

  it('offers a unit held for this referral', () => {
    const summary = index.match(referral);
    expect(summary.ranked.find((r) => r.unitId === 'U-5')?.cautions.map((c) => c.code)).toEqual([
      'HELD_FOR_THIS_REFERRAL',
    ]);
  });

  it('full detail lists every unit, each excluded one with all its reasons', () => {
    const full = index.match(referral, undefined, { detail: 'full' });
    expect(full.ranked.map((r) => r.unitId)).toEqual(['U-2', 'U-1', 'U-5']);
    expect(full.excluded.map((e) => [e.unitId, e.reasons.map((r) => r.code)])).toEqual([
      ['U-3', ['OCCUPIED']],
      ['U-4', ['HELD']],
      ['U-6', ['OUT_OF_DISTANCE']],
      ['U-7', ['AGE_OUTSIDE_REGISTRATION']],
    ]);
  });

  it('records the same inputs hash as a re-run, and a new one when the estate changes', () => {
    expect(index.match(referral).inputsHash).toBe(MatchingIndex.build(estate).match(referral).inputsHash);
    const changed = MatchingIndex.build({
      ...estate,
      units: estate.units.map((u) => (u.unitId === 'U-1' ? { ...u, weeklyCostPence: 1 } : u)),
    });
    expect(changed.match(referral).inputsHash).not.toBe(index.match(referral).inputsHash);
  });
});
