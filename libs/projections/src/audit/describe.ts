import { LEGAL_STATUS, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE, REC, upcast, exhaustive } from '@placement/domain';
import type {
  BedEvent,
  ChildEvent,
  ContractEvent,
  HouseholdEvent,
  ReferralEvent,
  ReferralNeeds,
  SettingEvent,
  UnitRef,
} from '@placement/domain';

/** Every event type the domain writes; anything else in the log is shown by its type name only. */
export type AuditableEvent = SettingEvent | BedEvent | HouseholdEvent | ContractEvent | ReferralEvent | ChildEvent;

const AUDITABLE_TYPES: Record<AuditableEvent['type'], true> = {
  SettingRegistered: true,
  SettingRegistrationChanged: true,
  SettingClosed: true,
  StatementOfPurposeRecorded: true,
  BedAdded: true,
  BedHeld: true,
  BedHoldReleased: true,
  BedOccupied: true,
  BedVacated: true,
  BedDepartureWithdrawn: true,
  BedOutOfUse: true,
  BedBackInUse: true,
  FosterHouseholdApproved: true,
  ApprovalTermsChanged: true,
  ChildPlacedWithHousehold: true,
  ChildLeftHousehold: true,
  HouseholdDepartureWithdrawn: true,
  HouseholdSuspended: true,
  HouseholdReinstated: true,
  HouseholdResigned: true,
  HouseholdMembersRecorded: true,
  BlockBookingContracted: true,
  BlockBedAllocated: true,
  BlockBedReleased: true,
  BlockBedDepartureWithdrawn: true,
  BlockBookingEnded: true,
  ReferralReceived: true,
  NeedsUpdated: true,
  MatchesProposed: true,
  MatchingMeetingHeld: true,
  MatchingExclusionOverridden: true,
  ReferralWithdrawn: true,
  ReferralClosed: true,
  ChildRegistered: true,
  ChildDetailsUpdated: true,
  PlacementStarted: true,
  PlacementEnded: true,
  PlacementEndWithdrawn: true,
  LegalStatusChanged: true,
  CareLeaverRecorded: true,
  StepDownPlanned: true,
  StepDownMilestoneRecorded: true,
  StepDownCompleted: true,
  StepDownAbandoned: true,
};

/** The event in its current shape (older versions upcast), or null for a type the domain does not write. */
export function asAuditable(event: {
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: unknown;
}): AuditableEvent | null {
  return Object.prototype.hasOwnProperty.call(AUDITABLE_TYPES, event.type) ? upcast<AuditableEvent>(event) : null;
}

/** What a decision says, in plain words, and what it rests on. */
export interface Description {
  readonly decision: string;
  readonly reasons: readonly string[];
  /** The business date the event states (start, end, hold or meeting date), when it has one. */
  readonly businessDate: string | null;
  /** The referral a decision was taken for, so the options on the table can be found. */
  readonly referralId: string | null;
  /** The unit chosen, to find it among the options proposed. */
  readonly chosen: ChosenUnit | null;
  /** Written by the system to undo half of a failed command, not decided by a person. */
  readonly compensation: boolean;
}

/** A meeting considers a whole home (any of its beds) or a household. */
export type ChosenUnit =
  { readonly kind: 'unit'; readonly unit: UnitRef } | { readonly kind: 'setting'; readonly settingId: string };

export function unitWords(unit: UnitRef): string {
  switch (unit.kind) {
    case 'bed':
      return `bed ${bedWords(unit.settingId, unit.bedId)}`;
    case 'household':
      return `foster household ${unit.householdId}`;
    case 'block-bed':
      return `block-booked bed ${unit.bedRef} of contract ${unit.contractId}`;
    case 'external':
      return `external provider ${unit.provider.name}${unit.urn ? ` (URN ${unit.urn})` : ''}`;
    default:
      return exhaustive(unit);
  }
}

const bedWords = (settingId: string, bedId: string): string => `${settingId}.${bedId}`;

function meaning(list: readonly { readonly code: string; readonly meaning: string }[], code: string | null): string {
  if (code === null) return 'none';
  const found = list.find((entry) => entry.code === code);
  return found ? `${code} (${found.meaning})` : code;
}

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

function needsWords(needs: ReferralNeeds): string[] {
  const suitability = Object.entries(needs.placementTypeSuitability)
    .map(([kind, rating]) => `${kind} ${rating}`)
    .join(', ');
  return [
    `Needs: sex ${needs.sex}, age ${needs.ageAtStart} at start, foster placement type ${needs.fosterPlacementType}`,
    `Placement types: ${suitability || 'not rated'}`,
    `Can live with: ${needs.canLiveWith.join(', ') || 'not stated'}`,
    `Risks to self: ${needs.risksToSelf.join(', ') || 'none recorded'}`,
    `Risks to others: ${needs.risksToOthers.join(', ') || 'none recorded'}`,
    ...(needs.siblingGroup ? [`Sibling group ${needs.siblingGroup.id} of ${needs.siblingGroup.size}`] : []),
    ...(needs.deprivationOfLiberty ? ['Deprivation of liberty order needed'] : []),
    ...(needs.weeklyBudget !== null ? [`Weekly budget £${(needs.weeklyBudget / 100).toFixed(2)}`] : []),
  ];
}

function described(
  decision: string,
  reasons: readonly string[],
  extra: Partial<Omit<Description, 'decision' | 'reasons'>> = {},
): Description {
  return { decision, reasons, businessDate: null, referralId: null, chosen: null, compensation: false, ...extra };
}

const COMPENSATION_WORDS =
  'Compensation: written automatically to give the unit back after the child’s side of the placement failed';

/** Why a child left a bed (a home's or a block-booked one). */
const LEAVING_WORDS: Readonly<Record<'placement-ended' | 'step-down' | 'compensation', string>> = {
  'placement-ended': 'The placement ended',
  'step-down': 'The child stepped down to a foster family',
  compensation: COMPENSATION_WORDS,
};

/** Plain words for one recorded decision. Free text (meeting reasons) is shown to auditors, never logged. */
export function describe(event: AuditableEvent): Description {
  switch (event.type) {
    case 'SettingRegistered': {
      const d = event.data;
      return described(
        `Setting ${d.settingId} registered: ${d.type}, ${d.provider.kind}`,
        [
          `Registration: ages ${d.registration.ageRange.min}–${d.registration.ageRange.max}, sexes ` +
            `${d.registration.sexes}, up to ${d.registration.maxChildren} children`,
          `Ofsted URN ${d.urn ?? 'none'}`,
        ],
        { businessDate: d.registeredOn },
      );
    }
    case 'SettingRegistrationChanged': {
      const d = event.data;
      return described(
        `Registration of setting ${d.settingId} changed`,
        [
          `Registration: ages ${d.registration.ageRange.min}–${d.registration.ageRange.max}, sexes ` +
            `${d.registration.sexes}, up to ${d.registration.maxChildren} children`,
        ],
        { businessDate: d.effectiveDate },
      );
    }
    case 'SettingClosed':
      return described(`Setting ${event.data.settingId} closed`, [`Reason: ${event.data.reason}`], {
        businessDate: event.data.date,
      });
    case 'StatementOfPurposeRecorded': {
      const d = event.data;
      return described(`Statement of purpose of setting ${d.settingId} recorded`, [
        `Risks not accepted: ${d.risksNotAccepted.length > 0 ? d.risksNotAccepted.join(', ') : 'none'}`,
        `Emergency admissions: ${d.emergencyAdmissions}`,
      ]);
    }
    case 'BedAdded': {
      const d = event.data;
      return described(`Bed ${bedWords(d.settingId, d.bedId)} added (${d.kind})`, [`Label: ${d.label}`]);
    }
    case 'BedHeld': {
      const d = event.data;
      return described(
        `Bed ${bedWords(d.settingId, d.bedId)} held for referral ${d.referralId} until ${d.until}`,
        [`For child ${d.childId}`],
        {
          referralId: d.referralId,
          chosen: { kind: 'unit', unit: { kind: 'bed', settingId: d.settingId, bedId: d.bedId } },
        },
      );
    }
    case 'BedHoldReleased': {
      const d = event.data;
      const why = {
        released: 'Released by the placement team',
        expired: 'The hold expired',
        'referral-closed': 'The referral closed',
        compensation: COMPENSATION_WORDS,
      }[d.reason];
      return described(`Hold on bed ${bedWords(d.settingId, d.bedId)} for referral ${d.referralId} released`, [why], {
        compensation: d.reason === 'compensation',
      });
    }
    case 'BedOccupied': {
      const d = event.data;
      return described(
        `Bed ${bedWords(d.settingId, d.bedId)} occupied by placement ${d.placementId} (child ${d.childId})`,
        [
          `Start date ${d.startDate}`,
          `${d.bedKind === 'emergency' ? 'Emergency' : 'Residential'} bed`,
          d.matchingMeetingId ? `Matching meeting ${d.matchingMeetingId}` : 'No matching meeting recorded',
          ...(d.emergency ? ['Emergency placement'] : ['Planned placement']),
          ...(d.unmatchedEmergency ? ['Unmatched emergency: placed before a matching meeting'] : []),
          ...(d.referralId ? [`From referral ${d.referralId}`] : []),
        ],
        {
          businessDate: d.startDate,
          referralId: d.referralId,
          chosen: { kind: 'unit', unit: { kind: 'bed', settingId: d.settingId, bedId: d.bedId } },
        },
      );
    }
    case 'BedVacated': {
      const d = event.data;
      const why = LEAVING_WORDS[d.reason];
      return described(
        `Bed ${bedWords(d.settingId, d.bedId)} vacated by placement ${d.placementId} (child ${d.childId})`,
        [why],
        {
          businessDate: d.date,
          compensation: d.reason === 'compensation',
        },
      );
    }
    case 'BedDepartureWithdrawn': {
      const d = event.data;
      return described(
        `Planned departure of placement ${d.placementId} (child ${d.childId}) from bed ` +
          `${bedWords(d.settingId, d.bedId)} withdrawn`,
        ['The placement has no end date again (or a revised end follows)'],
      );
    }
    case 'BedOutOfUse': {
      const d = event.data;
      return described(
        `Bed ${bedWords(d.settingId, d.bedId)} out of use from ${d.from}${d.to ? `, back in use on ${d.to}` : ''}`,
        [`Reason: ${d.reason}`],
        { businessDate: d.from },
      );
    }
    case 'BedBackInUse':
      return described(`Bed ${bedWords(event.data.settingId, event.data.bedId)} back in use`, [], {
        businessDate: event.data.date,
      });
    case 'FosterHouseholdApproved': {
      const d = event.data;
      return described(
        `Foster household ${d.householdId} approved (${d.reference})`,
        [
          `Terms: ages ${d.terms.ageRange.min}–${d.terms.ageRange.max}, up to ${d.terms.maxChildren} children, ` +
            `${d.terms.placementTypes.join('/')}, ${d.terms.provider}`,
        ],
        { businessDate: d.approvedOn },
      );
    }
    case 'ApprovalTermsChanged': {
      const d = event.data;
      return described(
        `Approval terms of foster household ${d.householdId} changed`,
        [
          `Terms: ages ${d.terms.ageRange.min}–${d.terms.ageRange.max}, up to ${d.terms.maxChildren} children, ` +
            `${d.terms.placementTypes.join('/')}`,
        ],
        { businessDate: d.effectiveDate },
      );
    }
    case 'ChildPlacedWithHousehold': {
      const d = event.data;
      return described(
        `Child ${d.childId} placed with foster household ${d.householdId} (placement ${d.placementId})`,
        [
          `Start date ${d.startDate}`,
          `Placement type ${d.placementType}`,
          ...(d.emergency ? ['Emergency placement'] : ['Planned placement']),
          ...(d.emergencyOutsideTerms
            ? ['Emergency placement outside the approval terms (allowed for a limited number of working days)']
            : []),
          ...(d.siblingGroupId ? [`Sibling group ${d.siblingGroupId}`] : []),
          ...(d.stepDownId ? [`Step-down ${d.stepDownId}`] : []),
          ...(d.referralId ? [`From referral ${d.referralId}`] : []),
        ],
        {
          businessDate: d.startDate,
          referralId: d.referralId,
          chosen: { kind: 'unit', unit: { kind: 'household', householdId: d.householdId } },
        },
      );
    }
    case 'ChildLeftHousehold': {
      const d = event.data;
      return described(
        `Child ${d.childId} left foster household ${d.householdId} (placement ${d.placementId})`,
        [d.reason === 'compensation' ? COMPENSATION_WORDS : 'The placement ended'],
        {
          businessDate: d.date,
          compensation: d.reason === 'compensation',
        },
      );
    }
    case 'HouseholdDepartureWithdrawn': {
      const d = event.data;
      return described(
        `Planned departure of child ${d.childId} from foster household ${d.householdId} ` +
          `(placement ${d.placementId}) withdrawn`,
        ['The placement has no end date again (or a revised end follows)'],
      );
    }
    case 'HouseholdSuspended':
      return described(`Foster household ${event.data.householdId} suspended`, [`Reason: ${event.data.reason}`], {
        businessDate: event.data.date,
      });
    case 'HouseholdReinstated':
      return described(`Foster household ${event.data.householdId} reinstated`, [], { businessDate: event.data.date });
    case 'HouseholdResigned':
      return described(`Foster household ${event.data.householdId} resigned`, [], { businessDate: event.data.date });
    case 'HouseholdMembersRecorded': {
      const d = event.data;
      // Members are described by month of birth and relationship only: they have no names on record.
      return described(
        `Members of foster household ${d.householdId} recorded`,
        d.members.length > 0
          ? d.members.map((m) => `Member born ${m.bornIn}: ${m.relationship}`)
          : ['Nobody lives with the carers besides the children placed'],
      );
    }
    case 'BlockBookingContracted': {
      const d = event.data;
      return described(
        `Block booking ${d.contractId} contracted with ${d.provider.name}`,
        [
          `${d.beds.length} beds at ${d.settingName}, ${d.startDate} to ${d.endDate}`,
          `Weekly price per bed £${(d.weeklyPricePerBed / 100).toFixed(2)}`,
        ],
        { businessDate: d.startDate },
      );
    }
    case 'BlockBedAllocated': {
      const d = event.data;
      return described(
        `Block-booked bed ${d.bedRef} of contract ${d.contractId} allocated to placement ${d.placementId} ` +
          `(child ${d.childId})`,
        d.referralId ? [`From referral ${d.referralId}`] : [],
        {
          businessDate: d.date,
          referralId: d.referralId,
          chosen: { kind: 'unit', unit: { kind: 'block-bed', contractId: d.contractId, bedRef: d.bedRef } },
        },
      );
    }
    case 'BlockBedReleased': {
      const d = event.data;
      const why = LEAVING_WORDS[d.reason];
      return described(
        `Block-booked bed ${d.bedRef} of contract ${d.contractId} released by placement ${d.placementId} ` +
          `(child ${d.childId})`,
        [why],
        {
          businessDate: d.date,
          compensation: d.reason === 'compensation',
        },
      );
    }
    case 'BlockBedDepartureWithdrawn': {
      const d = event.data;
      return described(
        `Planned departure of placement ${d.placementId} (child ${d.childId}) from block-booked bed ` +
          `${d.bedRef} of contract ${d.contractId} withdrawn`,
        ['The placement has no end date again (or a revised end follows)'],
      );
    }
    case 'BlockBookingEnded':
      return described(`Block booking ${event.data.contractId} ended`, [`Reason: ${event.data.reason}`], {
        businessDate: event.data.date,
      });
    case 'ReferralReceived': {
      const d = event.data;
      return described(
        `Referral ${d.referralId} received for child ${d.childId}: ${d.urgency}, wanted from ${d.startDate}`,
        [`Requested by ${d.requestedBy.role} (${d.requestedBy.team})`, ...needsWords(d.needs)],
        { businessDate: d.startDate },
      );
    }
    case 'NeedsUpdated':
      return described(`Needs of referral ${event.data.referralId} updated`, [
        ...needsWords(event.data.needs),
        'Matches proposed and meetings held before this were on the earlier needs: a placement needs a new meeting',
      ]);
    case 'MatchesProposed': {
      const d = event.data;
      return described(
        `${d.options.length} matching options proposed for referral ${d.referralId}, ${d.excluded.length} excluded`,
        [
          `Engine ${d.engineVersion}, inputs hash ${d.inputsHash}`,
          ...d.options.slice(0, 3).map((o) => `Rank ${o.rank}: ${unitWords(o.unit)} (score ${o.score})`),
        ],
        { referralId: d.referralId },
      );
    }
    case 'MatchingMeetingHeld': {
      const d = event.data;
      const considered = d.unitConsidered;
      const consideredWords =
        considered.kind === 'setting'
          ? `home ${considered.settingId}`
          : considered.kind === 'household'
            ? `foster household ${considered.householdId}`
            : `placement ${considered.ref}`;
      const chosen: ChosenUnit | null =
        considered.kind === 'setting'
          ? { kind: 'setting', settingId: considered.settingId }
          : considered.kind === 'household'
            ? { kind: 'unit', unit: { kind: 'household', householdId: considered.householdId } }
            : null;
      return described(
        `Matching meeting ${d.meetingId} decided "${d.decision}" for ${consideredWords}`,
        [
          `Held on ${d.heldOn}; attendees: ${d.attendees.map((a) => a.role).join(', ') || 'none recorded'}`,
          ...d.reasons.map((r) => `Reason ${r.code}: ${r.text}`),
          ...(d.impactAssessments.length === 0
            ? ['No current residents assessed']
            : d.impactAssessments.map(
                (a) =>
                  `Impact on resident ${a.residentChildId}: ${a.outcome} (risks considered: ` +
                  `${a.risksConsidered.join(', ') || 'none'})`,
              )),
        ],
        { businessDate: d.heldOn, referralId: d.referralId, chosen },
      );
    }
    case 'MatchingExclusionOverridden': {
      const d = event.data;
      const considered = d.unitConsidered;
      const where =
        considered.kind === 'setting'
          ? `home ${considered.settingId}`
          : considered.kind === 'household'
            ? `foster household ${considered.householdId}`
            : `placement ${considered.ref}`;
      return described(
        `Matching meeting ${d.meetingId} overrode the engine's exclusion ${d.code} for ${where}`,
        [`Authorised by the ${d.authorisedBy.role}`, `Reason: ${d.reason}`],
        { businessDate: d.heldOn, referralId: d.referralId },
      );
    }
    case 'ReferralWithdrawn':
      return described(`Referral ${event.data.referralId} withdrawn`, [`Reason: ${event.data.reason}`]);
    case 'ReferralClosed': {
      const d = event.data;
      return described(
        `Referral ${d.referralId} closed: ${d.outcome}${d.placementId ? ` (placement ${d.placementId})` : ''}`,
        [],
      );
    }
    case 'ChildRegistered': {
      // The date of birth and postcode stay in the event data; the headline carries no personal detail.
      const d = event.data;
      return described(`Child ${d.childId} registered`, [
        `Local authority ${d.localAuthority}, category of need ${d.categoryOfNeed}`,
      ]);
    }
    case 'ChildDetailsUpdated': {
      // What kind of value is on record, never the UPN or a date of birth itself.
      const d = event.data;
      const upn = d.upn === null ? 'not recorded' : d.upn.startsWith('UN') ? `not known (${d.upn})` : 'recorded';
      const mother = d.mother === null ? 'not recorded' : d.mother === '1' ? 'yes' : 'no';
      return described(`Details of child ${d.childId} updated`, [`UPN ${upn}; mother ${mother}`]);
    }
    case 'PlacementStarted': {
      const d = event.data;
      return described(
        `Placement ${d.placementId} started in ${unitWords(d.unit)}`,
        [
          `Start date ${d.startDate}`,
          `PLACE ${meaning(PLACE, d.place)}; provider ${meaning(PLACE_PROVIDER, d.placeProvider)}; legal status ` +
            `${meaning(LEGAL_STATUS, d.legalStatus)}`,
          ...(d.emergency ? ['Emergency placement'] : ['Planned placement']),
          ...(d.unmatchedEmergency ? ['Unmatched emergency: placed before a matching meeting'] : []),
          ...(d.referralId ? [`From referral ${d.referralId}`] : []),
          ...(d.stepDownId ? [`Step-down ${d.stepDownId} from residential care`] : []),
          ...(d.startsPeriodOfCare ? ['Starts a new period of care'] : []),
        ],
        { businessDate: d.startDate, referralId: d.referralId, chosen: { kind: 'unit', unit: d.unit } },
      );
    }
    case 'PlacementEnded': {
      const d = event.data;
      return described(
        `Placement ${d.placementId} in ${unitWords(d.unit)} ended on ${d.endDate}`,
        [
          `Reason for change: ${meaning(REASON_PLACE_CHANGE, d.reasonForChange)}`,
          `Reason episode ceased: ${meaning(REC, d.reasonEpisodeCeased)}`,
        ],
        { businessDate: d.endDate },
      );
    }
    case 'PlacementEndWithdrawn': {
      const d = event.data;
      return described(`Planned end of placement ${d.placementId} in ${unitWords(d.unit)} withdrawn`, [
        'The placement has no end date again (or a revised end follows)',
      ]);
    }
    case 'LegalStatusChanged':
      return described(
        `Legal status of child ${event.data.childId} changed to ${meaning(LEGAL_STATUS, event.data.legalStatus)}`,
        [],
        { businessDate: event.data.date },
      );
    case 'CareLeaverRecorded': {
      const d = event.data;
      return described(
        `Care leaver ${d.childId} lives in ${d.accommodation} accommodation from ${d.from} ` +
          `(care ceased on ${d.ceasedCareOn}: ${meaning(REC, d.reasonEpisodeCeased)})`,
        [],
        { businessDate: d.from },
      );
    }
    case 'StepDownPlanned': {
      const d = event.data;
      const plan = d.safetyPlan;
      return described(
        `Step-down ${d.stepDownId} planned from placement ${d.fromPlacementId} to foster household ` +
          `${d.toHouseholdId} for ${d.plannedDate}`,
        [
          `Safety plan: summary provided ${yesNo(plan.summaryProvided)}, contingency agreed ` +
            `${yesNo(plan.contingencyAgreed)}, lead ${plan.leadRole}, review by ${plan.reviewDate}`,
          ...d.milestones.map((m) => `Milestone ${m.milestoneId}: ${m.kind} due ${m.dueDate}`),
        ],
        { businessDate: d.plannedDate },
      );
    }
    case 'StepDownMilestoneRecorded': {
      const d = event.data;
      return described(`Step-down ${d.stepDownId} milestone ${d.milestoneId}: ${d.outcome}`, [], {
        businessDate: d.date,
      });
    }
    case 'StepDownCompleted': {
      const d = event.data;
      return described(
        `Step-down ${d.stepDownId} completed: placement ${d.fromPlacementId} to foster household ${d.toHouseholdId} ` +
          `(placement ${d.newPlacementId})`,
        [],
        {
          businessDate: d.date,
        },
      );
    }
    case 'StepDownAbandoned':
      return described(`Step-down ${event.data.stepDownId} abandoned`, [`Reason: ${event.data.reason}`], {
        businessDate: event.data.date,
      });
    default:
      return exhaustive(event);
  }
}
