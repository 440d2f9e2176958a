import { exhaustive, type ChildEvent, type UnitRef } from '@placement/domain';
import {
  isEthnicCode,
  isReasonEpisodeCeasedCode,
  type CategoryOfNeedCode,
  type LegalStatusCode,
  type ReasonCareEndedCode,
  type ReasonNewEpisodeCode,
} from './codes';
import type { IsoDate } from './dates';
import {
  historyProblems,
  type ChildHistory,
  type LegalStatusChange,
  type PeriodOfCare,
  type PlacementSpell,
} from './history';
import { PLACES_WITHOUT_PROVIDER } from './rules';

/**
 * Maps a child stream's events (in stream order) to the ChildHistory the episode rules run on.
 * Pure: the projection feeds it the events it has seen for one child and re-derives on change.
 */
export interface FromEventsOptions {
  /** PL_POST for a unit when the PlacementStarted event did not carry one (e.g. a setting's postcode). */
  readonly postcodeOf?: (unit: UnitRef) => string | null;
}

export interface HistoryFromEvents {
  /** null when the events cannot make a valid history; `problems` says why, without personal data. */
  readonly history: ChildHistory | null;
  readonly problems: readonly string[];
}

/**
 * Who looks after the child, as the domain's `sameCarer` sees it: a home (any bed), a household, a contract, an
 * external setting.
 */
export function carerKey(unit: UnitRef): string {
  switch (unit.kind) {
    case 'bed':
      return `setting:${unit.settingId}`;
    case 'household':
      return `household:${unit.householdId}`;
    case 'block-bed':
      return `contract:${unit.contractId}`;
    case 'external':
      return `external:${unit.urn ?? ''}:${unit.provider.name}`;
    default:
      return exhaustive(unit);
  }
}

interface OpenPeriod {
  startDate: IsoDate;
  categoryOfNeed: CategoryOfNeedCode | null;
  homePostcode: string | null;
  firstEpisodeReason: ReasonNewEpisodeCode | null;
  legalStatuses: LegalStatusChange[];
  placements: PlacementSpell[];
  placementIds: string[];
  endDate: IsoDate | null;
  reasonCeased: ReasonCareEndedCode | null;
}

type Registration = Extract<ChildEvent, { type: 'ChildRegistered' }>['data'];

export function childHistoryFromEvents(
  events: readonly ChildEvent[],
  options: FromEventsOptions = {},
): HistoryFromEvents {
  const problems: string[] = [];
  let registered: Registration | null = null;
  const periods: OpenPeriod[] = [];
  const current = () => periods.at(-1);

  for (const event of events) {
    switch (event.type) {
      case 'ChildRegistered':
        registered = event.data;
        break;
      case 'ChildDetailsUpdated':
        // The header carries the values as they are now (the return's year-end view).
        if (registered !== null) {
          const before: Registration = registered;
          const { upn, mother, motherChildDateOfBirth } = event.data;
          registered = { ...before, upn, mother, motherChildDateOfBirth };
        }
        break;
      case 'PlacementStarted': {
        const d = event.data;
        const postcode = d.placementPostcode ?? options.postcodeOf?.(d.unit) ?? null;
        if (postcode === null) problems.push(`placement ${d.placementId} has no placement postcode (PL_POST)`);
        let period = current();
        const continues = period !== undefined && period.endDate === null && !d.startsPeriodOfCare;
        if (!continues) {
          if (period !== undefined && period.endDate === null) {
            problems.push(`placement ${d.placementId} starts a new period of care while the previous one has no end`);
          }
          period = {
            startDate: d.startDate,
            categoryOfNeed: d.categoryOfNeed ?? null,
            homePostcode: d.homePostcode ?? null,
            // An imported return that began part-way through a period keeps its first RNE.
            firstEpisodeReason: d.importedReasonNewEpisode ?? null,
            legalStatuses: [],
            placements: [],
            placementIds: [],
            endDate: null,
            reasonCeased: null,
          };
          periods.push(period);
        }
        if (period === undefined) break;
        const previous = period.placements.at(-1);
        if (previous !== undefined && previous.endDate !== d.startDate) {
          problems.push(`placement ${d.placementId} does not start the day the previous placement ended`);
        }
        let carerId = carerKey(d.unit);
        if (previous !== undefined && d.sameCarerAsPrevious) carerId = previous.carerId;
        else if (previous !== undefined && previous.carerId === carerId) carerId = `${carerId}#${d.placementId}`;
        period.placements.push({
          place: d.place,
          // The DfE records temporary placements with no provider; the domain always carries one.
          placeProvider: PLACES_WITHOUT_PROVIDER.includes(d.place) ? null : d.placeProvider,
          urn: d.urn,
          postcode: postcode ?? '',
          carerId,
          startDate: d.startDate,
          endDate: null,
          reasonForChange: null,
        });
        period.placementIds.push(d.placementId);
        setLegalStatus(period, d.legalStatus, d.startDate);
        break;
      }
      case 'PlacementEnded': {
        const d = event.data;
        const period = current();
        const index = period?.placementIds.indexOf(d.placementId) ?? -1;
        if (period === undefined || index !== period.placements.length - 1) {
          problems.push(`placement ${d.placementId} ends but is not the open placement`);
          break;
        }
        const rec = d.reasonEpisodeCeased;
        const endsCare = rec !== null && rec !== 'X1';
        if (endsCare && !isReasonEpisodeCeasedCode(rec))
          problems.push(`REC ${rec} is not in the DfE's current code set`);
        period.placements[index] = {
          ...period.placements[index],
          endDate: d.endDate,
          reasonForChange: endsCare ? null : d.reasonForChange,
        };
        if (endsCare && isReasonEpisodeCeasedCode(rec)) {
          period.endDate = d.endDate;
          period.reasonCeased = rec;
        }
        break;
      }
      case 'PlacementEndWithdrawn': {
        // A planned end taken back before it happened: the placement (and its period) is open again.
        const d = event.data;
        const period = current();
        const index = period?.placementIds.indexOf(d.placementId) ?? -1;
        if (period === undefined || index !== period.placements.length - 1) {
          problems.push(`placement ${d.placementId} reopens but is not the last placement`);
          break;
        }
        period.placements[index] = { ...period.placements[index], endDate: null, reasonForChange: null };
        period.endDate = null;
        period.reasonCeased = null;
        break;
      }
      case 'LegalStatusChanged': {
        const d = event.data;
        const period = current();
        // A change while no period is open has no episode; the next placement carries its own legal status.
        if (period !== undefined && period.endDate === null && d.date >= period.startDate)
          setLegalStatus(period, d.legalStatus, d.date);
        break;
      }
      case 'CareLeaverRecorded':
        // After care ceased: the episodes file has nothing of it.
        break;
      case 'StepDownPlanned':
      case 'StepDownMilestoneRecorded':
      case 'StepDownCompleted':
      case 'StepDownAbandoned':
        // A completed step-down also writes PlacementEnded (LAREQ) and PlacementStarted, which carry the episode facts.
        break;
      default:
        return exhaustive(event);
    }
  }

  if (registered === null) return { history: null, problems: ['no ChildRegistered event'] };
  for (const p of periods) {
    const last = p.placements.at(-1);
    if (p.endDate === null && last !== undefined && last.endDate !== null) {
      problems.push(
        `placement ${p.placementIds.at(-1)} ended without a reason care ended (REC) and no placement followed`,
      );
    }
  }
  const history: ChildHistory = {
    childId: registered.childId,
    sex: registered.sex,
    dateOfBirth: registered.dateOfBirth,
    ...(registered.ethnicity !== null && isEthnicCode(registered.ethnicity) ? { ethnicity: registered.ethnicity } : {}),
    ...(registered.upn === null ? {} : { upn: registered.upn }),
    ...(registered.mother === undefined || registered.mother === null ? {} : { mother: registered.mother }),
    ...(registered.motherChildDateOfBirth === undefined || registered.motherChildDateOfBirth === null
      ? {}
      : { motherChildDateOfBirth: registered.motherChildDateOfBirth }),
    homePostcode: registered.homePostcode,
    periods: periods.map((p): PeriodOfCare => ({
      startDate: p.startDate,
      endDate: p.endDate,
      reasonCeased: p.reasonCeased,
      categoryOfNeed: p.categoryOfNeed ?? registered.categoryOfNeed,
      ...(p.homePostcode === null || p.homePostcode === registered.homePostcode
        ? {}
        : { homePostcode: p.homePostcode }),
      ...(p.firstEpisodeReason === null ? {} : { firstEpisodeReason: p.firstEpisodeReason }),
      legalStatuses: p.legalStatuses,
      placements: p.placements,
    })),
  };
  if (registered.ethnicity !== null && !isEthnicCode(registered.ethnicity))
    problems.push('ethnicity is not an SSDA903 ETHNIC code');
  if (problems.length > 0) return { history: null, problems };
  const invalid = historyProblems(history);
  return invalid.length > 0 ? { history: null, problems: invalid } : { history, problems: [] };
}

/**
 * Records the legal status in force from `date`, keeping the list in date order; a later record for the same day wins.
 */
function setLegalStatus(period: OpenPeriod, legalStatus: LegalStatusCode, date: IsoDate): void {
  const list = period.legalStatuses.filter((ls) => ls.from !== date);
  list.push({ legalStatus, from: date });
  list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  period.legalStatuses = list;
}
