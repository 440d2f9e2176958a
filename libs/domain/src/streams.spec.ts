import {
  bedDecider,
  bedStreamId,
  childDecider,
  childStreamId,
  contractDecider,
  contractStreamId,
  householdDecider,
  householdStreamId,
  referralDecider,
  referralStreamId,
  settingDecider,
  settingStreamId,
  STREAM_DECIDERS,
  streamKindOf,
} from './index';

describe('the domain’s streams', () => {
  it.each([
    [settingStreamId('s-1'), 'setting', settingDecider],
    [bedStreamId('s-1', 'b-1'), 'bed', bedDecider],
    [householdStreamId('h-1'), 'household', householdDecider],
    [contractStreamId('c-1'), 'contract', contractDecider],
    [referralStreamId('r-1'), 'referral', referralDecider],
    [childStreamId('c-1'), 'child', childDecider],
  ])('%s is a %s stream, folded by its decider', (streamId, kind, decider) => {
    const found = streamKindOf(streamId);
    expect(found).toBe(kind);
    expect(found === null ? null : STREAM_DECIDERS[found]).toBe(decider);
  });

  it.each(['$$metadata-bed-1', 'access-log', 'constructor-x', 'bed', ''])('%p is no stream of the domain', (id) => {
    expect(streamKindOf(id)).toBeNull();
  });
});
