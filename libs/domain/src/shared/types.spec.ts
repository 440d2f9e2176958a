import { unitRefOf, type UnitRef } from './types';

describe('unitRefOf', () => {
  const provider = { name: 'Northern Care Ltd', code: 'PR4' } as const;
  it.each<[string, UnitRef]>([
    ['a bed', { kind: 'bed', settingId: 's1', bedId: 'b1' }],
    ['a household', { kind: 'household', householdId: 'h1' }],
    ['a contracted bed', { kind: 'block-bed', contractId: 'k1', bedRef: 'A' }],
    ['a spot purchase', { kind: 'external', urn: 'SC123456', provider }],
  ])('keeps only the kind and ids of %s', (_, ref) => {
    const loaded = { ...ref, state: { status: 'Added' }, placementId: 'p1' };
    expect(unitRefOf(loaded)).toStrictEqual(ref);
  });
});
