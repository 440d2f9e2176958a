import type { BedHeld } from '../bed/types';
import type { ChildRegistered, EndPlacement, StepDownPlanned } from '../child/types';
import type { BlockBookingContracted } from '../contract/types';
import type { ApprovalTerms } from '../household/types';
import type { MatchingMeetingHeld, ReferralNeeds, ReferralReceived } from '../referral/types';
import type { SettingRegistered } from '../setting/types';

// The events the domain's specs start their streams from, with the facts a spec cares about as overrides.

/** Birch House (s1): an in-house children's home for three children aged 8 to 17. */
export const aSettingRegistered = (data: Partial<SettingRegistered['data']> = {}): SettingRegistered => ({
  type: 'SettingRegistered',
  data: {
    settingId: 's1',
    name: 'Birch House',
    urn: 'SC123456',
    provider: { kind: 'in-house', name: 'Rotherham MBC', code: 'PR1' },
    type: 'childrens-home',
    registration: { ageRange: { min: 8, max: 17 }, sexes: 'any', maxChildren: 3 },
    postcode: 'S60 1AE',
    localAuthority: 'E08000018',
    registeredOn: '2020-01-01',
    ...data,
  },
});

/** Child c1: a girl born 10 May 2012, in need for abuse or neglect (N1). */
export const aChildRegistered = (data: Partial<ChildRegistered['data']> = {}): ChildRegistered => ({
  type: 'ChildRegistered',
  data: {
    childId: 'c1',
    sex: 'F',
    dateOfBirth: '2012-05-10',
    localAuthority: 'E08000018',
    homePostcode: 'S65 1AA',
    categoryOfNeed: 'N1',
    ethnicity: null,
    upn: null,
    ...data,
  },
});

/** A 12-year-old girl who can live with others, long-term, with no risks or budget named. */
export const someReferralNeeds = (needs: Partial<ReferralNeeds> = {}): ReferralNeeds => ({
  sex: 'F',
  ageAtStart: 12,
  siblingGroup: null,
  preferredArea: { postcodeDistrict: null, maxDistanceKm: null },
  schoolPostcode: null,
  familyContactPostcode: null,
  communicationNeeds: [],
  adaptations: [],
  canLiveWith: ['with-others'],
  placementTypeSuitability: {},
  fosterPlacementType: 'long-term',
  risksToSelf: [],
  risksToOthers: [],
  deprivationOfLiberty: false,
  weeklyBudget: null,
  ...needs,
});

/** An in-house household approved for two children of any age and sex, short- or long-term, in Rotherham. */
export const someApprovalTerms = (terms: Partial<ApprovalTerms> = {}): ApprovalTerms => ({
  ageRange: { min: 0, max: 17 },
  maxChildren: 2,
  siblingGroup: false,
  placementTypes: ['short-term', 'long-term'],
  connectedPerson: false,
  provider: 'in-house',
  agencyName: null,
  sexes: 'any',
  postcode: 'S65 1AA',
  ...terms,
});

/** Referral r1 for child c1, planned from 1 March 2025. */
export const aReferralReceived = (data: Partial<ReferralReceived['data']> = {}): ReferralReceived => ({
  type: 'ReferralReceived',
  data: {
    referralId: 'r1',
    childId: 'c1',
    urgency: 'planned',
    startDate: '2025-03-01',
    needs: someReferralNeeds(),
    requestedBy: { role: 'social-worker', team: 'children-in-care' },
    at: '2025-02-28T09:00:00Z',
    ...data,
  },
});

/** Block contract k1 with Northern Care Ltd for Birch Lodge's beds, £3,830 a bed a week. */
export const aBlockBookingContracted = (
  data: Partial<BlockBookingContracted['data']> = {},
): BlockBookingContracted => ({
  type: 'BlockBookingContracted',
  data: {
    contractId: 'k1',
    provider: { name: 'Northern Care Ltd', code: 'PR4' },
    settingName: 'Birch Lodge',
    settingUrn: 'SC654321',
    settingPostcode: 'S63 7AA',
    beds: ['A', 'B'],
    startDate: '2025-04-01',
    endDate: '2026-03-31',
    weeklyPricePerBed: 383_000,
    ...data,
  },
});

/** Bed s1.b1 held for referral r1 (child c1) from noon on 1 March 2025 until noon the next day. */
export const aBedHeld = (data: Partial<BedHeld['data']> = {}): BedHeld => ({
  type: 'BedHeld',
  data: {
    settingId: 's1',
    bedId: 'b1',
    referralId: 'r1',
    childId: 'c1',
    until: '2025-03-02T12:00:00Z',
    at: '2025-03-01T12:00:00Z',
    ...data,
  },
});

/** Child c1's placement p1 ends on 1 June 2025, the child's own choice (CHILD), with nothing said of what follows. */
export const aPlacementEnd = (data: Partial<EndPlacement['data']> = {}): EndPlacement['data'] => ({
  childId: 'c1',
  placementId: 'p1',
  endDate: '2025-06-01',
  reasonForChange: 'CHILD',
  reasonEpisodeCeased: null,
  ...data,
});

/** Child c1's step-down sd1 from placement p1 to household h1 on 1 August 2025, introductions first. */
export const aStepDownPlanned = (data: Partial<StepDownPlanned['data']> = {}): StepDownPlanned => ({
  type: 'StepDownPlanned',
  data: {
    childId: 'c1',
    stepDownId: 'sd1',
    fromPlacementId: 'p1',
    toHouseholdId: 'h1',
    plannedDate: '2025-08-01',
    safetyPlan: { summaryProvided: true, reviewDate: '2025-09-01', contingencyAgreed: true, leadRole: 'social-worker' },
    milestones: [
      { milestoneId: 'ms1', kind: 'introductions', dueDate: '2025-07-01' },
      { milestoneId: 'ms2', kind: 'overnight-stay', dueDate: '2025-07-15' },
    ],
    ...data,
  },
});

/** Referral r1's meeting m1 on 3 March 2025: the registered manager matched it to home s1, no resident assessed. */
export const aMatchingMeetingHeld = (data: Partial<MatchingMeetingHeld['data']> = {}): MatchingMeetingHeld => ({
  type: 'MatchingMeetingHeld',
  data: {
    referralId: 'r1',
    meetingId: 'm1',
    heldOn: '2025-03-03',
    attendees: [{ role: 'registered-manager' }],
    unitConsidered: { kind: 'setting', settingId: 's1' },
    impactAssessments: [],
    decision: 'matched',
    reasons: [],
    ...data,
  },
});
