import { aReferralReceived, given, someReferralNeeds } from '../testing';
import { latestMeeting, meetingFor, overriddenBy, referralDecider, streamId } from './referral';
import type { BindingExclusion } from '../shared/exclusions';
import type { MatchingMeetingHeld, ReferralClosed, ReferralEvent, ReferralNeeds, ReferralReceived } from './types';
const NOW = '2025-02-12T09:00:00Z';

const needs: ReferralNeeds = someReferralNeeds({
  sex: 'M',
  ageAtStart: 13,
  preferredArea: { postcodeDistrict: 'S65', maxDistanceKm: 20 },
  schoolPostcode: 'S65 2AA',
  canLiveWith: ['with-others', 'younger'],
  placementTypeSuitability: { 'childrens-home': 'preferred', foster: 'suitable' },
  risksToSelf: ['going-missing'],
  weeklyBudget: 400_000,
});
const received: ReferralReceived = aReferralReceived({
  needs,
  requestedBy: { role: 'social-worker', team: 'Looked After Children 2' },
  at: '2025-02-10T09:00:00Z',
});
const meeting: MatchingMeetingHeld = {
  type: 'MatchingMeetingHeld',
  data: {
    referralId: 'r1',
    meetingId: 'm1',
    heldOn: '2025-02-20',
    attendees: [{ role: 'social-worker' }, { role: 'registered-manager' }],
    unitConsidered: { kind: 'setting', settingId: 's1' },
    impactAssessments: [
      { residentChildId: 'c8', outcome: 'no-concerns', risksConsidered: ['going-missing'] },
      { residentChildId: 'c9', outcome: 'manageable', risksConsidered: ['physical-harm'] },
    ],
    decision: 'matched',
    reasons: [],
  },
};
const closed: ReferralClosed = {
  type: 'ReferralClosed',
  data: { referralId: 'r1', outcome: 'placed', placementId: 'p1', at: '2025-03-01T12:00:00Z' },
};

/** The meetings below are recorded the evening they were held. */
const AT = '2025-02-20T18:00:00Z';

describe('referral decider', () => {
  it('names its stream referral-{id}', () => {
    expect(streamId('r1')).toBe('referral-r1');
  });

  describe('ReceiveReferral', () => {
    it('receives a referral', () => {
      given(referralDecider, []).when({ type: 'ReceiveReferral', data: received.data }).then([received]);
    });
    it('refuses a duplicate', () => {
      given(referralDecider, [received])
        .when({ type: 'ReceiveReferral', data: received.data })
        .thenFails('ALREADY_EXISTS');
    });
    it('refuses a child both solo and with others', () => {
      given(referralDecider, [])
        .when({
          type: 'ReceiveReferral',
          data: { ...received.data, needs: { ...needs, canLiveWith: ['solo', 'with-others'] } },
        })
        .thenFails('INVALID_INPUT');
    });
    it('refuses a start date that is not a date', () => {
      given(referralDecider, [])
        .when({ type: 'ReceiveReferral', data: { ...received.data, startDate: '2025-02-30' } })
        .thenFails('INVALID_DATES');
    });
  });

  describe('UpdateNeeds', () => {
    const updated = {
      referralId: 'r1',
      needs: { ...needs, risksToSelf: ['self-harm' as const] },
      at: '2025-02-12T09:00:00Z',
    };
    it('updates the needs', () => {
      given(referralDecider, [received])
        .when({ type: 'UpdateNeeds', data: updated })
        .then([{ type: 'NeedsUpdated', data: updated }]);
      const { state } = given(referralDecider, [received, { type: 'NeedsUpdated', data: updated }]);
      expect(state.status === 'Open' && state.referral.needs.risksToSelf).toEqual(['self-harm']);
    });
    it('refuses on a closed referral', () => {
      given(referralDecider, [received, closed])
        .when({ type: 'UpdateNeeds', data: updated })
        .thenFails('REFERRAL_NOT_OPEN');
    });
    it('records nothing when the needs sent are the needs on record, in any key order', () => {
      const reordered = Object.fromEntries(Object.entries(needs).reverse()) as typeof needs;
      given(referralDecider, [received])
        .when({ type: 'UpdateNeeds', data: { ...updated, needs: reordered } })
        .then([]);
    });
    it('refuses needs that break a rule, and an instant that is not one', () => {
      given(referralDecider, [received])
        .when({ type: 'UpdateNeeds', data: { ...updated, needs: { ...needs, ageAtStart: 40 } } })
        .thenFails('INVALID_INPUT');
      given(referralDecider, [received])
        .when({ type: 'UpdateNeeds', data: { ...updated, at: 'yesterday' } })
        .thenFails('INVALID_INPUT');
    });
    it('marks the proposal and the meetings before it as made on the earlier needs; later ones are current', () => {
      const proposed: ReferralEvent = {
        type: 'MatchesProposed',
        data: { referralId: 'r1', engineVersion: 'e1', inputsHash: 'h1', options: [], excluded: [], at: NOW },
      };
      const needsUpdated: ReferralEvent = { type: 'NeedsUpdated', data: updated };
      const stale = given(referralDecider, [received, proposed, meeting, needsUpdated]).state;
      expect(stale.status === 'Open' && stale.referral.lastProposal).toEqual({
        engineVersion: 'e1',
        inputsHash: 'h1',
        onEarlierNeeds: true,
      });
      expect(stale.status === 'Open' && stale.referral.meetingsOnEarlierNeeds).toEqual(['m1']);
      const fresh = given(referralDecider, [received, proposed, meeting, needsUpdated, proposed]).state;
      expect(fresh.status === 'Open' && fresh.referral.lastProposal?.onEarlierNeeds).toBe(false);
    });
  });

  describe('ProposeMatches', () => {
    const proposal = {
      referralId: 'r1',
      engineVersion: '1.0.0',
      inputsHash: 'abc123',
      options: [
        { rank: 1, unit: { kind: 'bed' as const, settingId: 's1', bedId: 'b1' }, score: 0.9, reasons: ['age-fit'] },
        { rank: 2, unit: { kind: 'household' as const, householdId: 'h1' }, score: 0.7, reasons: [] },
      ],
      excluded: [{ unit: { kind: 'bed' as const, settingId: 's2', bedId: 'b1' }, reasons: ['OUTSIDE_REGISTRATION'] }],
      at: '2025-02-15T09:00:00Z',
    };
    it('records the ranked list shown', () => {
      given(referralDecider, [received])
        .when({ type: 'ProposeMatches', data: proposal })
        .then([{ type: 'MatchesProposed', data: proposal }]);
    });
    it('refuses ranks out of order', () => {
      given(referralDecider, [received])
        .when({ type: 'ProposeMatches', data: { ...proposal, options: [...proposal.options].reverse() } })
        .thenFails('INVALID_INPUT');
    });
  });

  describe('RecordMatchingMeeting', () => {
    it('records the meeting, which becomes the latest meeting', () => {
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: meeting.data })
        .then([meeting]);
      expect(latestMeeting(given(referralDecider, [received, meeting]).state)).toEqual({
        meetingId: 'm1',
        referralId: 'r1',
        decision: 'matched',
        residentChildIdsAssessed: ['c8', 'c9'],
        unitConsidered: { kind: 'setting', settingId: 's1' },
      });
    });
    it('refuses a match over an unacceptable impact on a resident', () => {
      const impactAssessments = [
        { residentChildId: 'c8', outcome: 'unacceptable' as const, risksConsidered: ['sexual-harm'] },
      ];
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: { ...meeting.data, impactAssessments } })
        .thenFails('IMPACT_UNACCEPTABLE');
    });
    it('records a not-matched decision with reasons', () => {
      const data = {
        ...meeting.data,
        decision: 'not-matched' as const,
        reasons: [{ code: 'RISK_TO_RESIDENT', text: 'impact on resident' }],
      };
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: AT, data })
        .then([{ type: 'MatchingMeetingHeld', data }]);
    });
    it('refuses a not-matched decision without reasons', () => {
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: { ...meeting.data, decision: 'deferred' } })
        .thenFails('INVALID_INPUT');
    });
    it('refuses a meeting "held" on a date after today (Europe/London)', () => {
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: { ...meeting.data, heldOn: '2025-02-21' } })
        .thenFails('DATE_IN_FUTURE', 'a matching meeting held is a fact about the past');
    });
    it('reads "today" in London: 23:30 UTC on 24 October 2026 is already the 25th (BST)', () => {
      const held = { ...meeting.data, heldOn: '2026-10-25' };
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: '2026-10-24T23:30:00Z', data: held })
        .then([{ type: 'MatchingMeetingHeld', data: held }]);
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: '2026-10-24T22:30:00Z', data: held })
        .thenFails('DATE_IN_FUTURE');
    });
    it('refuses a meeting without attendees', () => {
      given(referralDecider, [received])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: { ...meeting.data, attendees: [] } })
        .thenFails('INVALID_INPUT');
    });
    it('refuses the same meeting twice', () => {
      given(referralDecider, [received, meeting])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: meeting.data })
        .thenFails('ALREADY_EXISTS');
    });
    it('records a meeting after an emergency placement closed the referral', () => {
      given(referralDecider, [received, closed])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: meeting.data })
        .then([meeting]);
    });
    it('refuses a meeting on a withdrawn referral', () => {
      given(referralDecider, [
        received,
        { type: 'ReferralWithdrawn', data: { referralId: 'r1', reason: 'duplicate', at: '2025-02-11T09:00:00Z' } },
      ])
        .when({ type: 'RecordMatchingMeeting', at: AT, data: meeting.data })
        .thenFails('REFERRAL_NOT_OPEN');
    });
  });

  describe('RecordMatchingMeeting with overrides of the engine’s exclusions', () => {
    const override = {
      code: 'RESIDENT_RISK',
      reason: 'Risk management plan agreed; waking night staff',
      authorisedBy: { role: 'registered-manager' as const },
    };
    const overridden = (code: BindingExclusion, reason: string, role: 'registered-manager' | 'social-worker') => ({
      type: 'MatchingExclusionOverridden' as const,
      data: {
        referralId: 'r1',
        meetingId: 'm1',
        unitConsidered: { kind: 'setting' as const, settingId: 's1' },
        code,
        reason,
        authorisedBy: { role },
        heldOn: '2025-02-20',
      },
    });
    it('records one override event per code after the meeting, each with its reason and authorising role', () => {
      const events = given(referralDecider, [received])
        .when({
          type: 'RecordMatchingMeeting',
          at: AT,
          data: meeting.data,
          overrides: [
            override,
            {
              code: 'CANNOT_LIVE_WITH',
              reason: 'Older resident leaves next week',
              authorisedBy: { role: 'social-worker' },
            },
          ],
        })
        .then([
          meeting,
          overridden('RESIDENT_RISK', override.reason, 'registered-manager'),
          overridden('CANNOT_LIVE_WITH', 'Older resident leaves next week', 'social-worker'),
        ]);
      const state = given(referralDecider, [received, ...events]).state;
      expect(overriddenBy(state, meetingFor(state, { kind: 'setting', settingId: 's1' }))).toEqual([
        'RESIDENT_RISK',
        'CANNOT_LIVE_WITH',
      ]);
    });
    it('a meeting without overrides records none', () => {
      const state = given(referralDecider, [received, meeting]).state;
      expect(overriddenBy(state, latestMeeting(state))).toEqual([]);
    });
    it('refuses an override from a meeting that did not match', () => {
      given(referralDecider, [received])
        .when({
          type: 'RecordMatchingMeeting',
          at: AT,
          data: { ...meeting.data, decision: 'not-matched', reasons: [{ code: 'RISK', text: 'no' }] },
          overrides: [override],
        })
        .thenFails('INVALID_INPUT', 'only a matched meeting overrides an exclusion');
    });
    it('refuses to override a code that does not bind a placement (availability, budget, distance)', () => {
      for (const code of ['OCCUPIED', 'OVER_BUDGET', 'OUT_OF_DISTANCE', 'NO_SUCH_CODE']) {
        given(referralDecider, [received])
          .when({ type: 'RecordMatchingMeeting', at: AT, data: meeting.data, overrides: [{ ...override, code }] })
          .thenFails('INVALID_INPUT', `${code} is not an exclusion that binds a placement`);
      }
    });
    it('refuses to override supported accommodation for a child under 16: the law allows no exception', () => {
      given(referralDecider, [received])
        .when({
          type: 'RecordMatchingMeeting',
          at: AT,
          data: meeting.data,
          overrides: [{ ...override, code: 'SUPPORTED_ACCOMMODATION_UNDER_16' }],
        })
        .thenFails('OVERRIDE_NOT_ALLOWED');
    });
    it('refuses an override authorised by a role that did not attend, without a reason, or twice', () => {
      const when = (overrides: (typeof override)[]) =>
        given(referralDecider, [received]).when({
          type: 'RecordMatchingMeeting',
          at: AT,
          data: meeting.data,
          overrides,
        });
      when([{ ...override, authorisedBy: { role: 'team-manager' as 'registered-manager' } }]).thenFails(
        'INVALID_INPUT',
        'authorised by a role that attended the meeting',
      );
      when([{ ...override, reason: '  ' }]).thenFails('INVALID_INPUT', 'gives a reason');
      when([override, override]).thenFails('INVALID_INPUT', 'one override per exclusion code');
    });
  });

  describe('WithdrawReferral / CloseReferral', () => {
    const withdrawn = { referralId: 'r1', reason: 'no-longer-needed' as const, at: '2025-02-11T09:00:00Z' };
    it('withdraws an open referral', () => {
      given(referralDecider, [received])
        .when({ type: 'WithdrawReferral', data: withdrawn })
        .then([{ type: 'ReferralWithdrawn', data: withdrawn }]);
    });
    it('refuses to withdraw twice', () => {
      given(referralDecider, [received, { type: 'ReferralWithdrawn', data: withdrawn }])
        .when({ type: 'WithdrawReferral', data: withdrawn })
        .thenFails('REFERRAL_NOT_OPEN');
    });
    it('closes a referral as placed', () => {
      given(referralDecider, [received]).when({ type: 'CloseReferral', data: closed.data }).then([closed]);
    });
    it('refuses placed without a placement', () => {
      given(referralDecider, [received])
        .when({ type: 'CloseReferral', data: { ...closed.data, placementId: null } })
        .thenFails('INVALID_INPUT');
    });
    it('refuses an unknown referral', () => {
      given(referralDecider, []).when({ type: 'CloseReferral', data: closed.data }).thenFails('NOT_FOUND');
    });
  });
});

describe('meetingFor', () => {
  const notMatched: MatchingMeetingHeld = {
    type: 'MatchingMeetingHeld',
    data: {
      ...meeting.data,
      meetingId: 'm0',
      decision: 'deferred',
      reasons: [{ code: 'MORE_INFO', text: 'await CAMHS' }],
    },
  };
  it('picks the latest matched meeting for the home over a later deferral', () => {
    const later: MatchingMeetingHeld = { type: 'MatchingMeetingHeld', data: { ...notMatched.data, meetingId: 'm2' } };
    const state = given(referralDecider, [received, notMatched, meeting, later]).state;
    expect(meetingFor(state, { kind: 'setting', settingId: 's1' })?.meetingId).toBe('m1');
  });
  it('no longer offers a match made before the needs were updated; a meeting after the update does', () => {
    const updated: ReferralEvent = {
      type: 'NeedsUpdated',
      data: { referralId: 'r1', needs: { ...needs, risksToSelf: ['going-missing'] }, at: NOW },
    };
    const stale = given(referralDecider, [received, meeting, updated]).state;
    expect(meetingFor(stale, { kind: 'setting', settingId: 's1' })).toBeNull();
    const again: MatchingMeetingHeld = { type: 'MatchingMeetingHeld', data: { ...meeting.data, meetingId: 'm3' } };
    const current = given(referralDecider, [received, meeting, updated, again]).state;
    expect(meetingFor(current, { kind: 'setting', settingId: 's1' })?.meetingId).toBe('m3');
  });
  it('falls back to the latest meeting for the home, and null for a home never considered', () => {
    const state = given(referralDecider, [received, notMatched]).state;
    expect(meetingFor(state, { kind: 'setting', settingId: 's1' })?.meetingId).toBe('m0');
    expect(meetingFor(state, { kind: 'setting', settingId: 's2' })).toBeNull();
  });
});
