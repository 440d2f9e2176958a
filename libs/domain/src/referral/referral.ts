import { DomainError, require_ } from '../shared/errors';
import { exhaustive } from '../shared/exhaustive';
import type { Decider } from '../shared/decider';
import { requireDate, requireInstant } from '../shared/dates';
import { requireNotInFuture } from '../shared/past';
import type { MatchingMeetingFacts } from '../bed/types';
import { isBindingExclusion, NEVER_OVERRIDDEN } from '../shared/exclusions';
import type {
  ExclusionOverride,
  MatchingExclusionOverridden,
  MatchingMeetingHeld,
  ReferralCommand,
  ReferralEvent,
  ReferralFacts,
  ReferralNeeds,
  ReferralState,
} from './types';

export const streamId = (referralId: string): string => `referral-${referralId}`;

export const initialState: ReferralState = { status: 'NotReceived' };

function open(state: ReferralState): ReferralFacts {
  switch (state.status) {
    case 'NotReceived':
      throw new DomainError('NOT_FOUND', 'no such referral');
    case 'Withdrawn':
    case 'Closed':
      throw new DomainError('REFERRAL_NOT_OPEN', `referral is ${state.status.toLowerCase()}`);
    case 'Open':
      return state.referral;
    default:
      return exhaustive(state);
  }
}

function validateNeeds(needs: ReferralNeeds): void {
  require_(
    Number.isInteger(needs.ageAtStart) && needs.ageAtStart >= 0 && needs.ageAtStart <= 25,
    'INVALID_INPUT',
    'ageAtStart is whole years 0–25',
  );
  require_(
    needs.siblingGroup === null || (Number.isInteger(needs.siblingGroup.size) && needs.siblingGroup.size >= 2),
    'INVALID_INPUT',
    'a sibling group has 2 or more children',
  );
  require_(
    needs.weeklyBudget === null || (Number.isInteger(needs.weeklyBudget) && needs.weeklyBudget > 0),
    'INVALID_INPUT',
    'budget is a positive whole number of pence',
  );
  require_(
    needs.preferredArea.maxDistanceKm === null || needs.preferredArea.maxDistanceKm > 0,
    'INVALID_INPUT',
    'max distance must be positive',
  );
  require_(
    !(needs.canLiveWith.includes('solo') && needs.canLiveWith.includes('with-others')),
    'INVALID_INPUT',
    'a child cannot need to live both solo and with others',
  );
}

export function decide(command: ReferralCommand, state: ReferralState): ReferralEvent[] {
  switch (command.type) {
    case 'ReceiveReferral': {
      const d = command.data;
      require_(state.status === 'NotReceived', 'ALREADY_EXISTS', 'referral already received');
      requireDate(d.startDate, 'startDate');
      requireInstant(d.at, 'at');
      validateNeeds(d.needs);
      return [{ type: 'ReferralReceived', data: d }];
    }
    case 'UpdateNeeds': {
      const referral = open(state);
      requireInstant(command.data.at, 'at');
      validateNeeds(command.data.needs);
      // The same needs again change nothing: no event, so earlier proposals and meetings stand.
      if (sameValue(referral.needs, command.data.needs)) return [];
      return [{ type: 'NeedsUpdated', data: command.data }];
    }
    case 'ProposeMatches': {
      open(state);
      const ranks = command.data.options.map((o) => o.rank);
      require_(
        ranks.every((rank, i) => rank === i + 1),
        'INVALID_INPUT',
        'options are ranked 1..n in order',
      );
      require_(
        command.data.inputsHash.length > 0 && command.data.engineVersion.length > 0,
        'INVALID_INPUT',
        'engine version and inputs hash are required',
      );
      return [{ type: 'MatchesProposed', data: command.data }];
    }
    case 'RecordMatchingMeeting': {
      const d = command.data;
      // An emergency placement's meeting often follows the placement, so a referral closed as placed still takes it.
      const referral = state.status === 'Closed' ? state.referral : open(state);
      require_(
        !referral.meetings.some((m) => m.meetingId === d.meetingId),
        'ALREADY_EXISTS',
        'meeting already recorded',
      );
      requireDate(d.heldOn, 'heldOn');
      requireNotInFuture(d.heldOn, command.at, 'a matching meeting held');
      require_(d.attendees.length > 0, 'INVALID_INPUT', 'a meeting has attendees');
      require_(
        new Set(d.impactAssessments.map((a) => a.residentChildId)).size === d.impactAssessments.length,
        'INVALID_INPUT',
        'one impact assessment per resident',
      );
      // Reg 14: a match stands only if no current resident's impact assessment says no.
      require_(
        d.decision !== 'matched' || d.impactAssessments.every((a) => a.outcome !== 'unacceptable'),
        'IMPACT_UNACCEPTABLE',
        'a match cannot stand over an unacceptable impact on a current resident',
      );
      require_(
        d.decision === 'matched' || d.reasons.length > 0,
        'INVALID_INPUT',
        'a meeting that did not match gives reasons',
      );
      return [{ type: 'MatchingMeetingHeld', data: d }, ...overridesOf(d, command.overrides ?? [])];
    }
    case 'WithdrawReferral':
      open(state);
      return [{ type: 'ReferralWithdrawn', data: command.data }];
    case 'CloseReferral':
      open(state);
      require_(
        command.data.outcome !== 'placed' || command.data.placementId !== null,
        'INVALID_INPUT',
        'a referral closed as placed names the placement',
      );
      return [{ type: 'ReferralClosed', data: command.data }];
    default:
      return exhaustive(command);
  }
}

/**
 * A meeting's overrides, one event per code: only a matched meeting sets an exclusion aside,
 * only an exclusion that binds, once per code, with a reason and the role of someone who attended.
 */
function overridesOf(meeting: MatchingMeetingHeld['data'], overrides: readonly ExclusionOverride[]): ReferralEvent[] {
  if (overrides.length === 0) return [];
  require_(meeting.decision === 'matched', 'INVALID_INPUT', 'only a matched meeting overrides an exclusion');
  const codes = overrides.map((o) => o.code);
  require_(new Set(codes).size === codes.length, 'INVALID_INPUT', 'one override per exclusion code');
  return overrides.map((o): MatchingExclusionOverridden => {
    const { code } = o;
    require_(isBindingExclusion(code), 'INVALID_INPUT', `${code} is not an exclusion that binds a placement`);
    require_(
      !NEVER_OVERRIDDEN.includes(code),
      'OVERRIDE_NOT_ALLOWED',
      `${code} cannot be overridden: no meeting can authorise it`,
    );
    require_(o.reason.trim().length > 0, 'INVALID_INPUT', `the override of ${code} gives a reason`);
    require_(
      meeting.attendees.some((a) => a.role === o.authorisedBy.role),
      'INVALID_INPUT',
      `the override of ${code} is authorised by a role that attended the meeting`,
    );
    return {
      type: 'MatchingExclusionOverridden',
      data: {
        referralId: meeting.referralId,
        meetingId: meeting.meetingId,
        unitConsidered: meeting.unitConsidered,
        code,
        reason: o.reason,
        authorisedBy: { role: o.authorisedBy.role },
        heldOn: meeting.heldOn,
      },
    };
  });
}

export function evolve(state: ReferralState, event: ReferralEvent): ReferralState {
  if (event.type === 'ReferralReceived') {
    const { referralId, childId, urgency, startDate, needs } = event.data;
    return {
      status: 'Open',
      referral: {
        referralId,
        childId,
        urgency,
        startDate,
        needs,
        meetings: [],
        overrides: [],
        lastProposal: null,
        meetingsOnEarlierNeeds: [],
      },
    };
  }
  if (state.status === 'NotReceived') return state;
  const referral = state.referral;
  switch (event.type) {
    case 'NeedsUpdated':
      return {
        ...state,
        referral: {
          ...referral,
          needs: event.data.needs,
          lastProposal: referral.lastProposal && { ...referral.lastProposal, onEarlierNeeds: true },
          meetingsOnEarlierNeeds: referral.meetings.map((m) => m.meetingId),
        },
      };
    case 'MatchesProposed':
      return {
        ...state,
        referral: {
          ...referral,
          lastProposal: {
            engineVersion: event.data.engineVersion,
            inputsHash: event.data.inputsHash,
            onEarlierNeeds: false,
          },
        },
      };
    case 'MatchingMeetingHeld': {
      const meeting: MatchingMeetingFacts = {
        meetingId: event.data.meetingId,
        referralId: event.data.referralId,
        decision: event.data.decision,
        residentChildIdsAssessed: event.data.impactAssessments.map((a) => a.residentChildId),
        unitConsidered: event.data.unitConsidered,
      };
      return { ...state, referral: { ...referral, meetings: [...referral.meetings, meeting] } };
    }
    case 'MatchingExclusionOverridden':
      return { ...state, referral: { ...referral, overrides: [...referral.overrides, event.data] } };
    case 'ReferralWithdrawn':
      return { status: 'Withdrawn', referral };
    case 'ReferralClosed':
      return { status: 'Closed', referral };
    default:
      return exhaustive(event);
  }
}

/** Two plain JSON values alike, whatever the order of their keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return sameValue(ka, kb) && ka.every((k) => sameValue(ra[k], rb[k]));
  }
  return a === b;
}

export const referralDecider: Decider<ReferralCommand, ReferralEvent, ReferralState> = { decide, evolve, initialState };

/** The latest meeting a placement command should carry (OccupyBed.matchingMeeting), or null. */
export function latestMeeting(state: ReferralState): MatchingMeetingFacts | null {
  if (state.status === 'NotReceived') return null;
  const meetings = state.referral.meetings;
  return meetings.length === 0 ? null : (meetings[meetings.length - 1] ?? null);
}

/** Whether two meetings' units considered are the same home, household or other provider's placement. */
export function sameUnitConsidered(
  a: MatchingMeetingFacts['unitConsidered'],
  b: MatchingMeetingFacts['unitConsidered'],
): boolean {
  return (
    (a.kind === 'setting' && b.kind === 'setting' && a.settingId === b.settingId) ||
    (a.kind === 'household' && b.kind === 'household' && a.householdId === b.householdId) ||
    (a.kind === 'other' && b.kind === 'other' && a.ref === b.ref)
  );
}

/**
 * The meeting to carry into a placement with this home or household: the latest `matched`
 * meeting that considered it, else the latest meeting that did (so the refusal says why), else null.
 */
export function meetingFor(
  state: ReferralState,
  unit: MatchingMeetingFacts['unitConsidered'],
): MatchingMeetingFacts | null {
  if (state.status === 'NotReceived') return null;
  // A meeting held before the needs were last updated matched needs the child no longer has.
  const onEarlierNeeds = state.referral.meetingsOnEarlierNeeds;
  const considered = state.referral.meetings.filter(
    (m) => sameUnitConsidered(m.unitConsidered, unit) && !onEarlierNeeds.includes(m.meetingId),
  );
  return [...considered].reverse().find((m) => m.decision === 'matched') ?? considered[considered.length - 1] ?? null;
}

/** The exclusion codes a meeting set aside (none for a meeting that did not match). */
export function overriddenBy(state: ReferralState, meeting: MatchingMeetingFacts | null): string[] {
  if (state.status === 'NotReceived' || meeting === null || meeting.decision !== 'matched') return [];
  return state.referral.overrides.filter((o) => o.meetingId === meeting.meetingId).map((o) => o.code);
}
