import {
  CIN_CODES,
  HOUSEHOLD_PLACE_CODES,
  LEGAL_STATUS_CODES,
  PLACE,
  PLACE_CODES,
  PLACE_PROVIDER_CODES,
  REASON_PLACE_CHANGE_CODES,
  REC,
  REC_CODES,
  RNE,
  RNE_CODES,
  endsPeriodOfCare,
  isContinuingRneCode,
  isHouseholdPlaceCode,
  isFosterPlaceCode,
  isLegalStatusCode,
  isOfstedUrn,
  isPlaceCode,
  isPlaceProviderCode,
  isReasonPlaceChangeCode,
  isRecCode,
  isRneCode,
} from './ssda903-codes';

describe('SSDA903 code lists', () => {
  it('hold the codes the engine uses, each once, each with a meaning', () => {
    expect(PLACE_CODES).toEqual(
      expect.arrayContaining([
        'U1',
        'U6',
        'K1',
        'K2',
        'K3',
        'H5',
        'R1',
        'R2',
        'R3',
        'R5',
        'P1',
        'P2',
        'P3',
        'A3',
        'A6',
        'T0',
        'T4',
        'Z1',
      ]),
    );
    expect(PLACE_PROVIDER_CODES).toEqual(['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5']);
    expect(LEGAL_STATUS_CODES).toEqual(
      expect.arrayContaining(['C1', 'C2', 'E1', 'V2', 'V3', 'V4', 'L1', 'L3', 'J1', 'J3']),
    );
    expect(RNE_CODES).toEqual(['S', 'L', 'P', 'T', 'B', 'U']);
    expect(REASON_PLACE_CHANGE_CODES).toEqual([
      'CARPL',
      'ALLEG',
      'STAND',
      'APPRR',
      'CUSTOD',
      'CLOSE',
      'CREQB',
      'CREQO',
      'CHILD',
      'LAREQ',
      'PLACE',
      'OTHER',
    ]);
    expect(REC_CODES).toEqual(
      expect.arrayContaining(['E11', 'E17', 'E2', 'E3', 'E41', 'E48', 'E5', 'E6', 'E7', 'E8', 'E9', 'X1']),
    );
    expect(CIN_CODES).toHaveLength(8);
    for (const list of [
      PLACE_CODES,
      PLACE_PROVIDER_CODES,
      LEGAL_STATUS_CODES,
      RNE_CODES,
      REASON_PLACE_CHANGE_CODES,
      REC_CODES,
    ]) {
      expect(new Set(list).size).toBe(list.length);
    }
    expect(PLACE.every((entry) => entry.meaning.length > 0)).toBe(true);
  });
  it('guards accept listed codes and reject anything else', () => {
    expect(isPlaceCode('K2')).toBe(true);
    expect(isPlaceCode('k2')).toBe(false);
    expect(isPlaceCode('K4')).toBe(false);
    expect(isPlaceCode(undefined)).toBe(false);
    expect(isFosterPlaceCode('U4')).toBe(true);
    expect(isFosterPlaceCode('K2')).toBe(false);
    expect(isPlaceProviderCode('PR4')).toBe(true);
    expect(isPlaceProviderCode('PR6')).toBe(false);
    expect(isLegalStatusCode('C2')).toBe(true);
    expect(isLegalStatusCode('C3')).toBe(false);
    expect(isRneCode('S')).toBe(true);
    expect(isRneCode('X')).toBe(false);
    expect(isReasonPlaceChangeCode('LAREQ')).toBe(true);
    expect(isReasonPlaceChangeCode('LAREQX')).toBe(false);
    expect(isRecCode('E13')).toBe(true);
    expect(isRecCode('E10')).toBe(false);
  });
  it('tells an episode-ending REC from a continuing one', () => {
    expect(endsPeriodOfCare('E13')).toBe(true);
    expect(endsPeriodOfCare('X1')).toBe(false);
    expect(endsPeriodOfCare(null)).toBe(false);
  });
  it('checks Ofsted URNs', () => {
    expect(isOfstedUrn('SC123456')).toBe(true);
    expect(isOfstedUrn('SC12345')).toBe(false);
    expect(isOfstedUrn('XXXXXXX')).toBe(false);
  });
  it('follow the DfE list where a loose summary differs: REC returned home is E4A/E4B, E6/E9 as the DfE means', () => {
    expect(REC_CODES).toEqual(expect.arrayContaining(['E4A', 'E4B', 'E45', 'E46']));
    for (const retired of ['E42', 'E43', 'E44']) expect(isRecCode(retired)).toBe(false);
    expect(REC.find((e) => e.code === 'E9')?.meaning).toBe('Sentenced to custody');
    expect(REC.find((e) => e.code === 'E6')?.meaning).toMatch(/independent living without/);
    expect(RNE.find((e) => e.code === 'P')?.meaning).toBe('Change of placement and carer(s) only');
    expect(isPlaceCode('S1')).toBe(true);
    expect(isLegalStatusCode('D1')).toBe(true);
  });
  it('lets a household carry foster codes and adoption by the current foster carers only', () => {
    expect(HOUSEHOLD_PLACE_CODES).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'A3', 'A5']);
    expect(isHouseholdPlaceCode('A5')).toBe(true);
    expect(isHouseholdPlaceCode('A6')).toBe(false);
    expect(isContinuingRneCode('B')).toBe(true);
    expect(isContinuingRneCode('S')).toBe(false);
  });
});
