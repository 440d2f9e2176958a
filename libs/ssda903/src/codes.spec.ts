import * as domain from '@placement/domain';
import * as codes from './codes';

describe('SSDA903 code checks', () => {
  it.each([
    ['PLACE', codes.isPlaceCode, domain.isPlaceCode],
    ['PLACE_PROVIDER', codes.isPlaceProviderCode, domain.isPlaceProviderCode],
    ['LS', codes.isLegalStatusCode, domain.isLegalStatusCode],
    ['RNE', codes.isReasonNewEpisodeCode, domain.isRneCode],
    ['REASON_PLACE_CHANGE', codes.isReasonPlaceChangeCode, domain.isReasonPlaceChangeCode],
    ['REC', codes.isReasonEpisodeCeasedCode, domain.isRecCode],
    ['CIN', codes.isCategoryOfNeedCode, domain.isCinCode],
  ])(
    '%s is checked by the domain’s own check, so the return and the deciders accept the same codes',
    (_, ours, its) => {
      expect(ours).toBe(its);
    },
  );

  it('takes a URN as the domain does: SC and six digits', () => {
    expect(['SC123456', 'SC12345', 'sc123456', 'XXXXXXX'].map(codes.isOfstedUrn)).toEqual([true, false, false, false]);
    expect(codes.isOfstedUrn).toBe(domain.isOfstedUrn);
  });
});
