import { match } from '../match';
import { MatchingIndex } from '../matching-index';
import { ROTHERHAM, syntheticEstate, syntheticReferrals, type PostcodeDistrict } from './synthetic-estate';

// A slice of data/postcode-districts-england.csv (ONS, OGL v3): Rotherham and neighbours.
const districts: PostcodeDistrict[] = [
  ['S25', 'E08000018', 452045, 385926],
  ['S26', 'E08000018', 447547, 384438],
  ['S60', 'E08000018', 443101, 391226],
  ['S61', 'E08000018', 440396, 394211],
  ['S62', 'E08000018', 443578, 396808],
  ['S63', 'E08000018', 444546, 402482],
  ['S65', 'E08000018', 445201, 393487],
  ['S66', 'E08000018', 449849, 391873],
  ['DN1', 'E08000017', 458506, 402993],
  ['DN4', 'E08000017', 458318, 401389],
  ['S1', 'E08000039', 435387, 387213],
  ['S6', 'E08000039', 432722, 389622],
  ['S70', 'E08000038', 434780, 405360],
  ['S75', 'E08000038', 431962, 407338],
].map(([district, laCode, easting, northing]) => ({ district, laCode, easting, northing }) as PostcodeDistrict);

const AS_AT = '2026-03-02T09:00:00.000Z';

describe('synthetic Rotherham estate', () => {
  const estate = syntheticEstate({ scale: 'rotherham', seed: 903, districts, asAt: AS_AT });
  const { settings, units } = estate.snapshot;

  it('has the authority’s own provision: 7 homes, 16 residential and 2 emergency beds, 106 households', () => {
    const own = settings.filter((s) => s.localAuthorityCode === ROTHERHAM);
    const ownUnits = units.filter((u) => u.route === 'in-house');
    expect(own.filter((s) => s.kind === 'childrens-home' && s.settingId.startsWith('RMBC-'))).toHaveLength(7);
    expect(ownUnits.filter((u) => u.kind === 'residential-bed')).toHaveLength(16);
    expect(ownUnits.filter((u) => u.kind === 'emergency-bed')).toHaveLength(2);
    expect(ownUnits.filter((u) => u.kind === 'foster-household')).toHaveLength(106);
  });

  it('has every external route: block-booked, framework and spot', () => {
    expect(new Set(units.map((u) => u.route))).toEqual(new Set(['in-house', 'block-booked', 'framework', 'spot']));
  });

  it('is the same estate for the same seed, and another for another seed', () => {
    expect(syntheticEstate({ scale: 'rotherham', seed: 903, districts, asAt: AS_AT })).toEqual(estate);
    expect(syntheticEstate({ scale: 'rotherham', seed: 904, districts, asAt: AS_AT })).not.toEqual(estate);
  });

  it('places settings in the districts it was given', () => {
    const known = new Set(districts.map((d) => d.district));
    expect(settings.every((s) => known.has(s.location.postcodeDistrict))).toBe(true);
  });

  it('the index agrees with the full read for a few hundred referrals', () => {
    const referrals = syntheticReferrals({
      seed: 467,
      count: 300,
      startDate: '2026-03-09',
      districts,
      authorities: [ROTHERHAM],
    });
    const index = MatchingIndex.build(estate.snapshot);
    let offered = 0;
    for (const needs of referrals) {
      const reference = match(needs, estate.snapshot);
      const summary = index.match(needs, undefined, { limit: 10 });
      expect(summary.ranked).toEqual(reference.ranked.slice(0, 10));
      expect(summary.rankedTotal).toBe(reference.ranked.length);
      expect(summary.excludedTotal).toBe(reference.excluded.length);
      offered += reference.ranked.length > 0 ? 1 : 0;
    }
    // The estate is realistic enough that most referrals find something, and not all.
    expect(offered).toBeGreaterThan(150);
    expect(offered).toBeLessThan(referrals.length);
  });

  it('judges one unit exactly as the full read does (what a placement into it is checked with)', () => {
    const referrals = syntheticReferrals({ seed: 468, count: 20, startDate: '2026-03-09', districts });
    const index = MatchingIndex.build(estate.snapshot);
    const codes = new Set<string>();
    for (const needs of referrals) {
      const reference = match(needs, estate.snapshot);
      for (const r of reference.ranked) {
        expect(index.judge(needs, r.unitId)).toEqual({ unitId: r.unitId, reasons: [], cautions: r.cautions });
      }
      for (const e of reference.excluded) {
        const judged = index.judge(needs, e.unitId);
        expect(judged?.reasons).toEqual(e.reasons);
        for (const reason of e.reasons) codes.add(reason.code);
      }
    }
    expect(index.judge(referrals[0], 'no-such-unit')).toBeUndefined();
    // Safeguarding and registration reasons are among those judged.
    expect([...codes]).toEqual(expect.arrayContaining(['AGE_OUTSIDE_REGISTRATION', 'OCCUPIED']));
  });
});
