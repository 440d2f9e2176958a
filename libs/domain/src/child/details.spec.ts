import { aChildRegistered, given } from '../testing';
import { childDecider } from './child';
import { childDetailsProblems, isValidUpn, upnCheckLetter, upnProblem, type ChildDetails } from './details';
import type { ChildDetailsUpdated, ChildRegistered } from './types';

// UPNs worked by hand with the DfE's formula (weights 2–13 on characters 2–13, sum mod 23,
// letters A–Z without I, O, S valued 0–22):
//   B801200005001: 8·2+1·4+2·5+5·10+1·13 = 93; 93 mod 23 = 1 → B
//   W372200125001 (Rotherham, LA 372): 3·2+7·3+2·4+2·5+1·8+2·9+5·10+1·13 = 134; mod 23 = 19 → W
//   P207000016049: 2·2+7·4+1·9+6·10+4·12+9·13 = 266; mod 23 = 13 → P
//   G37220012500A (temporary, A = 0): 134 − 1·13 = 121; mod 23 = 6 → G
//   T37220012500Z (temporary, Z = 22): 121 + 22·13 = 407; mod 23 = 16 → T
const VALID = ['B801200005001', 'W372200125001', 'P207000016049', 'G37220012500A', 'T37220012500Z'];

const registered: ChildRegistered = aChildRegistered({ dateOfBirth: '2009-05-10', ethnicity: 'WBRI' });
const boy: ChildRegistered = { ...registered, data: { ...registered.data, childId: 'c2', sex: 'M' } };
const updated = (data: Partial<ChildDetailsUpdated['data']>): ChildDetailsUpdated => ({
  type: 'ChildDetailsUpdated',
  data: { childId: 'c1', upn: null, mother: null, motherChildDateOfBirth: null, ...data },
});

describe('UPN check letter (the DfE formula)', () => {
  it.each(VALID)('accepts %s, whose check letter was worked by hand', (upn) => {
    expect(upnCheckLetter(upn.slice(1))).toBe(upn[0]);
    expect(isValidUpn(upn)).toBe(true);
    expect(upnProblem(upn)).toBeNull();
  });

  it.each([
    ['A801200005001', 'a wrong check letter'],
    ['W372200125002', 'one digit changed'],
    ['W372200215001', 'two digits swapped'],
    ['Q207000016049', 'the check letter off by one'],
  ])('refuses %s (%s)', (upn) => {
    expect(isValidUpn(upn)).toBe(false);
    expect(upnProblem(upn)).toMatch(/check letter/);
  });

  it.each([
    ['I801200005001', 'I is never a check letter'],
    ['B80120000500O', 'O is never the final letter'],
    ['B80120000A001', 'a letter inside the digits'],
    ['B80120000500', '12 characters'],
    ['b801200005001', 'lower case'],
    ['UN6', 'not one of the DfE codes'],
    ['', 'empty'],
  ])('refuses %j (%s) by its shape', (value) => {
    expect(upnProblem(value)).toMatch(/13-character/);
  });

  it.each(['UN1', 'UN2', 'UN3', 'UN4', 'UN5'])('accepts the DfE code %s for an unknown UPN', (code) => {
    expect(upnProblem(code)).toBeNull();
    expect(isValidUpn(code)).toBe(false);
  });
});

describe('childDetailsProblems', () => {
  const girl = { sex: 'F' as const, dateOfBirth: '2009-05-10' };
  const none: ChildDetails = { upn: null, mother: null, motherChildDateOfBirth: null };
  const fields = (child: { sex: 'M' | 'F' | 'U'; dateOfBirth: string }, details: Partial<ChildDetails>) =>
    childDetailsProblems(child, { ...none, ...details }).map((p) => `${p.field} ${p.code}`);

  it('accepts nothing recorded, a mother with her child’s date of birth, and a girl who is not a mother', () => {
    expect(fields(girl, {})).toEqual([]);
    expect(fields(girl, { upn: 'W372200125001', mother: '1', motherChildDateOfBirth: '2025-01-02' })).toEqual([]);
    expect(fields(girl, { upn: 'UN2', mother: '0' })).toEqual([]);
  });
  it('asks MOTHER of a female child only', () => {
    expect(fields({ sex: 'M', dateOfBirth: '2009-05-10' }, { mother: '0' })).toEqual(['mother INVALID_INPUT']);
    expect(fields({ sex: 'U', dateOfBirth: '2009-05-10' }, { mother: '0' })).toEqual(['mother INVALID_INPUT']);
  });
  it('needs MC_DOB exactly when MOTHER is 1 (611, 612, 174)', () => {
    expect(fields(girl, { mother: '1' })).toEqual(['motherChildDateOfBirth INVALID_INPUT']);
    expect(fields(girl, { mother: '0', motherChildDateOfBirth: '2025-01-02' })).toEqual([
      'motherChildDateOfBirth INVALID_INPUT',
    ]);
    expect(fields({ sex: 'M', dateOfBirth: '2009-05-10' }, { motherChildDateOfBirth: '2025-01-02' })).toEqual([
      'motherChildDateOfBirth INVALID_INPUT',
    ]);
  });
  it("refuses an MC_DOB that is not a date (171) or not after the mother's own birth (621)", () => {
    expect(fields(girl, { mother: '1', motherChildDateOfBirth: '2025-02-30' })).toEqual([
      'motherChildDateOfBirth INVALID_DATES',
    ]);
    expect(fields(girl, { mother: '1', motherChildDateOfBirth: '2009-05-10' })).toEqual([
      'motherChildDateOfBirth INVALID_DATES',
    ]);
  });
  it('never echoes the UPN it refuses', () => {
    const [problem] = childDetailsProblems(girl, { ...none, upn: 'A801200005001' });
    expect(problem).toMatchObject({ field: 'upn', code: 'INVALID_CODE' });
    expect(problem.message).not.toContain('801200005001');
  });
});

describe('child decider: UPN, MOTHER and MC_DOB', () => {
  describe('at registration', () => {
    it('registers a child with a UPN, or with a DfE code when the UPN is not known', () => {
      for (const upn of ['W372200125001', 'UN4']) {
        const event: ChildRegistered = { ...registered, data: { ...registered.data, upn } };
        given(childDecider, []).when({ type: 'RegisterChild', data: event.data }).then([event]);
      }
    });
    it('refuses a UPN whose check letter is wrong, and a code the DfE does not know', () => {
      for (const upn of ['A801200005001', 'UN6'])
        given(childDecider, [])
          .when({ type: 'RegisterChild', data: { ...registered.data, upn } })
          .thenFails('INVALID_CODE');
    });
    it('refuses MOTHER for a boy, and a mother without her child’s date of birth', () => {
      given(childDecider, [])
        .when({ type: 'RegisterChild', data: { ...boy.data, mother: '0' } })
        .thenFails('INVALID_INPUT');
      given(childDecider, [])
        .when({ type: 'RegisterChild', data: { ...registered.data, mother: '1' } })
        .thenFails('INVALID_INPUT');
    });
  });

  describe('UpdateChildDetails', () => {
    it('records a UPN learnt after registration, keeping what was not given', () => {
      const withMother: ChildRegistered = { ...registered, data: { ...registered.data, mother: '0' } };
      given(childDecider, [withMother])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', upn: 'W372200125001' } })
        .then([updated({ upn: 'W372200125001', mother: '0' })]);
    });
    it('records that a girl became a mother, with her child’s date of birth', () => {
      given(childDecider, [registered, updated({ upn: 'UN4', mother: '0' })])
        .when({
          type: 'UpdateChildDetails',
          data: { childId: 'c1', mother: '1', motherChildDateOfBirth: '2026-03-01' },
        })
        .then([updated({ upn: 'UN4', mother: '1', motherChildDateOfBirth: '2026-03-01' })]);
    });
    it('clears a value with null', () => {
      given(childDecider, [registered, updated({ upn: 'UN4', mother: '1', motherChildDateOfBirth: '2026-03-01' })])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', mother: '0', motherChildDateOfBirth: null } })
        .then([updated({ upn: 'UN4', mother: '0' })]);
    });
    it('records nothing when nothing changes, so a repeated update is harmless', () => {
      given(childDecider, [registered, updated({ upn: 'UN4' })])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', upn: 'UN4' } })
        .then([]);
    });
    it('checks the details as they would be after the update', () => {
      // MOTHER 1 alone leaves MC_DOB missing; MC_DOB alone is for a mother only.
      given(childDecider, [registered])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', mother: '1' } })
        .thenFails('INVALID_INPUT');
      given(childDecider, [registered])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', motherChildDateOfBirth: '2026-03-01' } })
        .thenFails('INVALID_INPUT');
      given(childDecider, [boy])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c2', mother: '0' } })
        .thenFails('INVALID_INPUT');
      given(childDecider, [registered])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', upn: 'W372200125009' } })
        .thenFails('INVALID_CODE');
    });
    it('refuses an update that gives nothing, and a child not registered', () => {
      given(childDecider, [registered])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1' } })
        .thenFails('INVALID_INPUT');
      given(childDecider, [])
        .when({ type: 'UpdateChildDetails', data: { childId: 'c1', upn: 'UN1' } })
        .thenFails('NOT_FOUND');
    });
    it('folds the update into the child’s record', () => {
      const { state } = given(childDecider, [registered, updated({ upn: 'W372200125001', mother: '0' })]);
      expect(state).toMatchObject({
        status: 'Registered',
        child: { upn: 'W372200125001', mother: '0', motherChildDateOfBirth: null },
      });
    });
  });
});
