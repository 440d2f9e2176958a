import type {
  CategoryOfNeedCode,
  EthnicCode,
  LegalStatusCode,
  PlaceCode,
  PlaceProviderCode,
  ReasonCareEndedCode,
  ReasonNewEpisodeCode,
  ReasonPlaceChangeCode,
  SexCode,
} from './codes';
import { PLACES_REQUIRING_URN, isOfstedUrn } from './codes';
import { isIsoDate, type IsoDate } from './dates';
import { placeProviderProblem } from './rules';

/**
 * What the episode rules need to know about one child: the input model a projection fills
 * from events, and what an imported return is turned back into. Episodes are never stored;
 * they are derived from this by `deriveEpisodes`.
 */
export interface ChildHistory {
  readonly childId: string;
  readonly sex: SexCode;
  readonly dateOfBirth: IsoDate;
  readonly ethnicity?: EthnicCode;
  /** Unique pupil number, or a UN1–UN5 placeholder. */
  readonly upn?: string;
  /** MOTHER column: '1' the child is a mother, '0' not; absent when not recorded. */
  readonly mother?: '0' | '1';
  /** MC_DOB: date of birth of the mother's child. */
  readonly motherChildDateOfBirth?: IsoDate;
  /** HOME_POST: the postcode of the home the child was living in when they became looked after. */
  readonly homePostcode: string;
  /** Periods of being looked after, in date order, never overlapping. */
  readonly periods: readonly PeriodOfCare[];
}

/** One continuous period of being looked after (from an S episode to an episode that does not end X1). */
export interface PeriodOfCare {
  readonly startDate: IsoDate;
  /** null while the child is still looked after. */
  readonly endDate: IsoDate | null;
  /** REC of the period's last episode; null exactly when `endDate` is null. */
  readonly reasonCeased: ReasonCareEndedCode | null;
  readonly categoryOfNeed: CategoryOfNeedCode;
  /** Overrides the child's HOME_POST for this period (an imported return may carry a different one). */
  readonly homePostcode?: string;
  /**
   * RNE of the first known episode. 'S' (the default) when the period starts here; an
   * imported return that begins mid-period knows only that its first episode began with a change.
   */
  readonly firstEpisodeReason?: ReasonNewEpisodeCode;
  /** Legal status in force from each date; the first is from the period's start. */
  readonly legalStatuses: readonly LegalStatusChange[];
  /** Placements back to back: each starts the day the previous ends; the first starts with the period. */
  readonly placements: readonly PlacementSpell[];
}

export interface LegalStatusChange {
  readonly legalStatus: LegalStatusCode;
  readonly from: IsoDate;
}

export interface PlacementSpell {
  readonly place: PlaceCode;
  /** null only for temporary placements (T0–T4) and Z1, which the DfE records with no provider. */
  readonly placeProvider: PlaceProviderCode | null;
  /** Ofsted URN of a registered setting (required for K1, K2, K3), null otherwise. */
  readonly urn: string | null;
  /** PL_POST: full postcode of the placement. */
  readonly postcode: string;
  /** Who looks after the child: a setting or a foster household. Same carer + new placement = RNE T/U. */
  readonly carerId: string;
  readonly startDate: IsoDate;
  /** null while the placement continues. */
  readonly endDate: IsoDate | null;
  /** Why the placement ended when the child moved to another placement in the same period; null otherwise. */
  readonly reasonForChange: ReasonPlaceChangeCode | null;
}

/** Everything wrong with a history, in plain words; empty when the episode rules can run on it. */
export function historyProblems(history: ChildHistory): string[] {
  const problems: string[] = [];
  if (!isIsoDate(history.dateOfBirth)) problems.push('date of birth is not a calendar date');
  if (history.homePostcode.trim() === '') problems.push('home postcode is missing');
  let previousEnd: IsoDate | null = null;
  history.periods.forEach((period, p) => {
    const at = `period ${p + 1} (from ${period.startDate})`;
    if (!isIsoDate(period.startDate)) problems.push(`${at}: start is not a calendar date`);
    if (period.endDate !== null && !isIsoDate(period.endDate)) problems.push(`${at}: end is not a calendar date`);
    if (p > 0 && previousEnd === null) problems.push(`${at}: starts while the previous period is still open`);
    if (previousEnd !== null && period.startDate < previousEnd) problems.push(`${at}: overlaps the previous period`);
    if (period.startDate < history.dateOfBirth) problems.push(`${at}: starts before the child's date of birth`);
    if (period.endDate !== null && period.endDate < period.startDate) problems.push(`${at}: ends before it starts`);
    if ((period.endDate === null) !== (period.reasonCeased === null)) {
      problems.push(`${at}: an ended period needs a reason ceased, and an open one must not have one`);
    }
    previousEnd = period.endDate;

    if (period.legalStatuses.length === 0) problems.push(`${at}: no legal status`);
    period.legalStatuses.forEach((ls, i) => {
      if (i === 0 && ls.from !== period.startDate)
        problems.push(`${at}: first legal status is not from the period's start`);
      if (i > 0 && ls.from <= period.legalStatuses[i - 1].from)
        problems.push(`${at}: legal status changes are not in date order`);
      if (i > 0 && period.endDate !== null && ls.from >= period.endDate)
        problems.push(`${at}: legal status changes on or after the period ends`);
    });

    if (period.placements.length === 0) problems.push(`${at}: no placement`);
    period.placements.forEach((pl, i) => {
      const pat = `${at}, placement ${i + 1} (from ${pl.startDate})`;
      const last = i === period.placements.length - 1;
      if (i === 0 && pl.startDate !== period.startDate)
        problems.push(`${pat}: the first placement does not start with the period`);
      if (!last) {
        const next = period.placements[i + 1];
        if (pl.endDate !== next.startDate) problems.push(`${pat}: does not end the day the next placement starts`);
        if (next.startDate <= pl.startDate) problems.push(`${pat}: placements are not in date order`);
        if (pl.reasonForChange === null)
          problems.push(`${pat}: a placement followed by another needs a reason for the change`);
      } else {
        if (pl.endDate !== period.endDate) problems.push(`${pat}: the last placement does not end with the period`);
        if (pl.reasonForChange !== null)
          problems.push(`${pat}: the last placement of a period has no reason for a placement change`);
      }
      if (pl.urn !== null && !isOfstedUrn(pl.urn)) problems.push(`${pat}: URN is not SC followed by six digits`);
      if (PLACES_REQUIRING_URN.includes(pl.place) && pl.urn === null)
        problems.push(`${pat}: ${pl.place} is a registered setting and needs its URN`);
      const providerProblem = placeProviderProblem(pl.place, pl.placeProvider);
      if (providerProblem !== null) problems.push(`${pat}: ${providerProblem}`);
      if (pl.postcode.trim() === '') problems.push(`${pat}: placement postcode is missing`);
    });
  });
  return problems;
}

export class InvalidChildHistoryError extends Error {
  readonly code = 'SSDA903_INVALID_HISTORY';
  constructor(
    readonly childId: string,
    readonly problems: readonly string[],
  ) {
    super(`child ${childId}: ${problems.join('; ')}`);
    this.name = 'InvalidChildHistoryError';
  }
}
