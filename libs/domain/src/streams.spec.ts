import { Bed, Child, Contract, Household, Referral, Setting, STREAM_DECIDERS, streamKindOf } from './index';

describe('the domain’s streams', () => {
  it.each([
    [Setting.streamId('s-1'), 'setting', Setting.settingDecider],
    [Bed.streamId('s-1', 'b-1'), 'bed', Bed.bedDecider],
    [Household.streamId('h-1'), 'household', Household.householdDecider],
    [Contract.streamId('c-1'), 'contract', Contract.contractDecider],
    [Referral.streamId('r-1'), 'referral', Referral.referralDecider],
    [Child.streamId('c-1'), 'child', Child.childDecider],
  ])('%s is a %s stream, folded by its decider', (streamId, kind, decider) => {
    const found = streamKindOf(streamId);
    expect(found).toBe(kind);
    expect(found === null ? null : STREAM_DECIDERS[found]).toBe(decider);
  });

  it.each(['$$metadata-bed-1', 'access-log', 'constructor-x', 'bed', ''])('%p is no stream of the domain', (id) => {
    expect(streamKindOf(id)).toBeNull();
  });
});
