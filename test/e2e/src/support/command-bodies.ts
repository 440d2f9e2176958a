import { REASON_PLACE_CHANGE_CODES, REC_CODES } from '@placement/domain';
import { aContract, aHousehold, aMeeting, aPlacement, aReferral, aSetting, aStepDown } from '@placement/test-support';
import { expectCreated, homeWithResidents, refer } from './fixtures';
import { E2E_TODAY } from './clock';
import { TestServer, TOKENS } from './server';

/**
 * One valid body (and path parameters) for every command route, for the estate
 * `commandFixture` builds. Fuzzing mutates these; the access matrix sends them as they are.
 * Listed in an order in which each one, sent once, is accepted or refused only by a domain rule.
 */
export interface CommandSample {
  params: Record<string, string>;
  body: () => Record<string, unknown>;
}

export const FIXTURE = {
  home: 'fz-home',
  otherHome: 'fz-other',
  resident: 'fz-res',
  residentPlacement: 'p-fz-res',
  household: 'fz-fh',
  referral: 'r-fz',
  child: 'fz-child',
  /** A boy, so no fuzzed body for his details (MOTHER, MC_DOB) can be a valid one. */
  boy: 'fz-boy',
  stepDown: 'sd-fz',
} as const;

export const COMMAND_SAMPLES: Record<string, CommandSample> = {
  'POST /v1/settings': { params: {}, body: () => aSetting({ settingId: 'fz-new', urn: 'SC100009' }) },
  'POST /v1/settings/:id/beds': {
    params: { id: FIXTURE.home },
    body: () => ({ bedId: 'b9', kind: 'residential', label: 'Room 9' }),
  },
  'POST /v1/settings/:id/beds/:bedId/out-of-use': {
    params: { id: FIXTURE.home, bedId: 'b3' },
    body: () => ({ reason: 'maintenance', from: '2026-12-01', to: '2026-12-11' }),
  },
  'POST /v1/settings/:id/beds/:bedId/back-in-use': {
    params: { id: FIXTURE.home, bedId: 'b3' },
    // A day inside the out-of-use sample's period [1 Dec, 11 Dec).
    body: () => ({ date: '2026-12-05' }),
  },
  'POST /v1/foster-households': { params: {}, body: () => aHousehold({ householdId: 'fz-fh2' }) },
  'POST /v1/block-bookings': {
    params: {},
    body: () => aContract({ contractId: 'fz-contract' }),
  },
  'POST /v1/referrals': {
    params: {},
    body: () =>
      aReferral({
        referralId: 'r-fz2',
        childId: 'fz-child2',
        child: { ethnicity: 'WBRI', upn: 'A123456789012', mother: '0' },
      }),
  },
  'POST /v1/children/:id/details': {
    params: { id: FIXTURE.boy },
    body: () => ({ upn: 'W372200125001', mother: null, motherChildDateOfBirth: null }),
  },
  // The resident's referral is closed (placed): every body this route accepts, even `{}`, is refused by a rule.
  'POST /v1/referrals/:id/matches/proposals': {
    params: { id: `r-${FIXTURE.resident}` },
    body: () => ({ detail: 'summary', limit: 10 }),
  },
  'POST /v1/referrals/:id/holds': {
    params: { id: FIXTURE.referral },
    body: () => ({ settingId: FIXTURE.home, bedId: 'b2', until: '2026-12-01T18:00:00Z' }),
  },
  'POST /v1/referrals/:id/matching-meetings': {
    params: { id: FIXTURE.referral },
    body: () => aMeeting({ meetingId: 'm-fz', settingId: FIXTURE.home, residents: [FIXTURE.resident] }),
  },
  'POST /v1/placements': {
    params: {},
    body: () => ({
      ...aPlacement({
        placementId: 'p-fz',
        childId: FIXTURE.child,
        referralId: FIXTURE.referral,
        settingId: FIXTURE.home,
        bedId: 'b2',
      }),
      placementType: 'long-term',
      siblingGroupId: 'sg-1',
      placementPostcode: 'S60 1AA',
    }),
  },
  'POST /v1/placements/:id/end': {
    params: { id: 'p-fz' },
    body: () => ({
      endDate: '2026-12-20',
      reasonForChange: REASON_PLACE_CHANGE_CODES[0],
      reasonEpisodeCeased: REC_CODES[0],
      next: 'leaves-care',
    }),
  },
  'POST /v1/placements/:id/end/revise': {
    params: { id: 'p-fz' },
    body: () => ({ endDate: '2026-12-27', reasonForChange: REASON_PLACE_CHANGE_CODES[0] }),
  },
  'POST /v1/placements/:id/end/withdraw': { params: { id: 'p-fz' }, body: () => ({}) },
  'POST /v1/step-downs': {
    params: {},
    body: () => aStepDown({ stepDownId: 'sd-fz2', childId: FIXTURE.resident, toHouseholdId: FIXTURE.household }),
  },
  'POST /v1/step-downs/:id/milestones': {
    params: { id: FIXTURE.stepDown },
    // Met today (the fixture's step-down is planned today): a milestone met is a fact about the past.
    body: () => ({ milestoneId: 'ms-1', date: E2E_TODAY, outcome: 'met' }),
  },
  'POST /v1/step-downs/:id/complete': {
    params: { id: FIXTURE.stepDown },
    body: () => ({ newPlacementId: 'p-fz-fh', date: '2027-01-15', place: 'U4', placeProvider: 'PR1' }),
  },
  'POST /v1/step-downs/:id/abandon': {
    params: { id: FIXTURE.stepDown },
    body: () => ({ reason: 'child-wishes', date: '2027-01-10' }),
  },
  // Issue 14 §2. The hold sample's hold, named by its end (refused by a rule once the placement sample took the bed).
  'POST /v1/referrals/:id/holds/release': {
    params: { id: FIXTURE.referral },
    body: () => ({ settingId: FIXTURE.home, bedId: 'b2', until: '2026-12-01T18:00:00Z' }),
  },
  'POST /v1/referrals/:id/withdraw': { params: { id: 'r-fz-boy' }, body: () => ({ reason: 'no-longer-needed' }) },
  'POST /v1/referrals/:id/needs': {
    params: { id: FIXTURE.referral },
    body: () => ({
      needs: {
        ...aReferral({ referralId: FIXTURE.referral, childId: FIXTURE.child }).needs,
        risksToSelf: ['going-missing'],
      },
    }),
  },
  'POST /v1/children/:id/legal-status': {
    params: { id: FIXTURE.resident },
    body: () => ({ legalStatus: 'E1', date: E2E_TODAY }),
  },
  // Issue 14 §4: the resident is still looked after, so the sample is refused by a rule (NOT_A_CARE_LEAVER).
  'POST /v1/children/:id/care-leaver': {
    params: { id: FIXTURE.resident },
    body: () => ({ accommodation: 'staying-put', from: E2E_TODAY }),
  },
  'POST /v1/foster-households/:id/suspend': {
    params: { id: FIXTURE.household },
    body: () => ({ date: E2E_TODAY, reason: 'allegation' }),
  },
  'POST /v1/foster-households/:id/reinstate': { params: { id: FIXTURE.household }, body: () => ({ date: E2E_TODAY }) },
  'POST /v1/foster-households/:id/terms': {
    params: { id: FIXTURE.household },
    body: () => ({
      terms: { ...aHousehold({ householdId: FIXTURE.household }).terms, maxChildren: 3 },
      effectiveDate: E2E_TODAY,
    }),
  },
  'POST /v1/foster-households/:id/resign': { params: { id: FIXTURE.household }, body: () => ({ date: E2E_TODAY }) },
  'POST /v1/settings/:id/registration': {
    params: { id: FIXTURE.home },
    body: () => ({
      registration: aSetting({ maxChildren: 4 }).registration,
      urn: 'SC100001',
      effectiveDate: E2E_TODAY,
    }),
  },
  // The resident lives there open-ended: refused by a rule (SETTING_HAS_RESIDENTS), never by validation.
  'POST /v1/settings/:id/close': {
    params: { id: FIXTURE.home },
    body: () => ({ date: '2027-06-30', reason: 'decommissioned' }),
  },
  'POST /v1/block-bookings/:id/end': { params: { id: 'fz-contract' }, body: () => ({ date: '2026-12-15' }) },
  // Issue 14 §6: who else lives with the carers; a home's statement-of-purpose terms.
  'POST /v1/foster-households/:id/members': {
    params: { id: FIXTURE.household },
    body: () => ({ members: [{ bornIn: '2019-04', relationship: 'carers-child' }] }),
  },
  'POST /v1/settings/:id/statement-of-purpose': {
    params: { id: FIXTURE.home },
    body: () => ({ risksNotAccepted: ['cse'], emergencyAdmissions: 'emergency-beds' }),
  },
};

/**
 * The estate the samples refer to: a home with a resident who has a planned step-down
 * into an approved household, and an open referral for a child not yet placed.
 */
export async function commandFixture(server: TestServer): Promise<void> {
  await homeWithResidents(server, FIXTURE.home, 3, [FIXTURE.resident]);
  await expectCreated(server, '/v1/foster-households', TOKENS.admin, aHousehold({ householdId: FIXTURE.household }));
  await refer(server, { referralId: FIXTURE.referral, childId: FIXTURE.child });
  await refer(server, { referralId: 'r-fz-boy', childId: FIXTURE.boy, child: { sex: 'M' } });
  await expectCreated(server, '/v1/step-downs', TOKENS.admin, {
    ...COMMAND_SAMPLES['POST /v1/step-downs'].body(),
    stepDownId: FIXTURE.stepDown,
  });
}
