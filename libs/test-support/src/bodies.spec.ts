import { aBed, aHousehold, aMeeting, aPlacement, aReferral, aSetting } from './bodies';

describe('the request-body builders', () => {
  it('change only what an override names, nested facts included', () => {
    const home = aSetting({ settingId: 'oak', maxChildren: 4 });
    expect(home).toEqual({
      ...aSetting(),
      settingId: 'oak',
      name: 'Home oak',
      registration: { ...aSetting().registration, maxChildren: 4 },
    });
    const referral = aReferral({ urgency: 'emergency', child: { sex: 'M' }, needs: { risksToSelf: ['cse'] } });
    expect(referral).toEqual({
      ...aReferral(),
      urgency: 'emergency',
      child: { ...aReferral().child, sex: 'M' },
      needs: { ...aReferral().needs, risksToSelf: ['cse'] },
    });
    const household = aHousehold({ householdId: 'fh-9', terms: { maxChildren: 1 } });
    expect(household).toEqual({
      ...aHousehold(),
      householdId: 'fh-9',
      reference: 'FH-fh-9',
      terms: { ...aHousehold().terms, maxChildren: 1 },
    });
    expect(aBed({ bedId: 'b7' })).toEqual({ bedId: 'b7', kind: 'residential', label: 'Room 7' });
    expect(aMeeting({ settingId: 'oak', residents: ['amy'] })).toMatchObject({
      unitConsidered: { kind: 'setting', settingId: 'oak' },
      impactAssessments: [{ residentChildId: 'amy', outcome: 'no-concerns', risksConsidered: ['physical-harm'] }],
    });
    expect(aPlacement({ settingId: 'oak', bedId: 'b2' }).unit).toEqual({ kind: 'bed', settingId: 'oak', bedId: 'b2' });
  });
});
