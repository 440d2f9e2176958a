import { ENGINE_VERSION, inputsHash, snapshotDigest } from './inputs-hash';
import { DEFAULT_MATCHING_POLICY } from './policy';
import { needs, setting, snapshot, terms, unit } from './testing/builders';

const resident = (age: number, risksToOthers: ('fire-setting' | 'physical-harm')[] = []) => ({
  age,
  sex: 'M' as const,
  risksToSelf: [],
  risksToOthers,
});

describe('inputsHash: what an auditor re-runs', () => {
  const estate = snapshot(
    [
      setting({
        residents: [resident(15, ['fire-setting', 'physical-harm']), resident(12)],
        adaptations: ['wheelchair', 'lift'],
      }),
    ],
    [unit(), unit({ unitId: 'U-2', state: { status: 'held', referralId: 'R-7', until: '2026-03-05T00:00:00Z' } })],
  );

  it('is a SHA-256 that does not change between runs', () => {
    const hash = inputsHash(needs(), estate, DEFAULT_MATCHING_POLICY);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsHash(needs(), structuredClone(estate), { ...DEFAULT_MATCHING_POLICY })).toBe(hash);
    expect(ENGINE_VERSION).toMatch(/^matching-\d+\.\d+\.\d+$/);
  });

  it('ignores the order of residents, flags, adaptations and object keys', () => {
    const reordered = snapshot(
      [
        {
          ...setting({
            residents: [resident(12), resident(15, ['physical-harm', 'fire-setting'])],
            adaptations: ['lift', 'wheelchair'],
          }),
          terms: { ...terms(), sexes: ['U', 'F', 'M'] },
        },
      ],
      [unit({ unitId: 'U-2', state: { until: '2026-03-05T00:00:00Z', referralId: 'R-7', status: 'held' } }), unit()],
    );
    expect(snapshotDigest(reordered)).toBe(snapshotDigest(estate));
    const child = needs({ risksToSelf: ['missing', 'cse'] });
    expect(inputsHash({ ...child, risksToSelf: ['cse', 'missing'] }, estate, DEFAULT_MATCHING_POLICY)).toBe(
      inputsHash(child, estate, DEFAULT_MATCHING_POLICY),
    );
  });

  it('changes when a hold, a resident or the policy changes', () => {
    const base = inputsHash(needs(), estate, DEFAULT_MATCHING_POLICY);
    const released = { ...estate, units: [unit(), unit({ unitId: 'U-2' })] };
    expect(inputsHash(needs(), released, DEFAULT_MATCHING_POLICY)).not.toBe(base);
    const moved = {
      ...estate,
      settings: [
        setting({ residents: [resident(15, ['fire-setting', 'physical-harm'])], adaptations: ['wheelchair', 'lift'] }),
      ],
    };
    expect(inputsHash(needs(), moved, DEFAULT_MATCHING_POLICY)).not.toBe(base);
    expect(
      inputsHash(needs(), estate, {
        ...DEFAULT_MATCHING_POLICY,
        routeOrder: ['spot', 'framework', 'block-booked', 'in-house'],
      }),
    ).not.toBe(base);
  });

  it('changes when a household member or a statement of purpose term changes', () => {
    const base = snapshotDigest(estate);
    const withMember = { ...estate, settings: [{ ...estate.settings[0], householdMembers: [{ age: 6 }] }] };
    expect(snapshotDigest(withMember)).not.toBe(base);
    const older = { ...estate, settings: [{ ...estate.settings[0], householdMembers: [{ age: 7 }] }] };
    expect(snapshotDigest(older)).not.toBe(snapshotDigest(withMember));
    const noEmergencies = {
      ...estate,
      settings: [{ ...estate.settings[0], terms: terms({ noEmergencyAdmissions: true }) }],
    };
    expect(snapshotDigest(noEmergencies)).not.toBe(base);
    const noCse = { ...estate, settings: [{ ...estate.settings[0], terms: terms({ risksNotAccepted: ['cse'] }) }] };
    expect(snapshotDigest(noCse)).not.toBe(base);
  });
});
