import type {
  CategoryOfNeedCode,
  LegalStatusCode,
  PlaceCode,
  PlaceProviderCode,
  ReasonEpisodeCeasedCode,
  ReasonNewEpisodeCode,
  ReasonPlaceChangeCode,
} from './codes';
import { collectionYear, type IsoDate } from './dates';
import { historyProblems, InvalidChildHistoryError, type ChildHistory, type PeriodOfCare } from './history';
import { reasonNewEpisode, urnColumn } from './rules';

/** One row of episodes.csv, typed; dates ISO. `formatEpisode` turns it into the return's text. */
export interface Episode {
  readonly child: string;
  readonly decom: IsoDate;
  readonly rne: ReasonNewEpisodeCode;
  readonly ls: LegalStatusCode;
  readonly cin: CategoryOfNeedCode;
  readonly place: PlaceCode;
  readonly placeProvider: PlaceProviderCode | null;
  /** Blank in the return while the episode continues past the collection year's end. */
  readonly dec: IsoDate | null;
  readonly rec: ReasonEpisodeCeasedCode | null;
  /** Only on an episode that ends X1 because the placement changes. */
  readonly reasonPlaceChange: ReasonPlaceChangeCode | null;
  readonly homePost: string;
  readonly plPost: string;
  /** An Ofsted URN or XXXXXXX. */
  readonly urn: string;
}

/** Every episode of one period of care, whole (no collection-year cut). */
function periodEpisodes(history: ChildHistory, period: PeriodOfCare): Episode[] {
  // Change points: the period's start, each placement start, each real change of legal status.
  const dates = new Set<IsoDate>([period.startDate]);
  for (const pl of period.placements) dates.add(pl.startDate);
  period.legalStatuses.forEach((ls, i) => {
    if (i === 0 || ls.legalStatus !== period.legalStatuses[i - 1].legalStatus) dates.add(ls.from);
  });
  const changeDates = [...dates].sort();

  const placementAt = (d: IsoDate) => period.placements.filter((pl) => pl.startDate <= d).at(-1);
  const legalStatusAt = (d: IsoDate) => period.legalStatuses.filter((ls) => ls.from <= d).at(-1);
  const homePost = period.homePostcode ?? history.homePostcode;

  const episodes: Episode[] = [];
  changeDates.forEach((decom, k) => {
    const placement = placementAt(decom);
    const legalStatus = legalStatusAt(decom);
    // historyProblems guarantees both exist from the period's start.
    if (placement === undefined || legalStatus === undefined)
      throw new InvalidChildHistoryError(history.childId, ['no placement or legal status at an episode start']);
    let rne: ReasonNewEpisodeCode;
    if (k === 0) {
      rne = period.firstEpisodeReason ?? 'S';
    } else {
      const before = changeDates[k - 1];
      const previousPlacement = placementAt(before);
      const previousLegalStatus = legalStatusAt(before);
      const change = reasonNewEpisode({
        legalStatus: previousLegalStatus?.legalStatus !== legalStatus.legalStatus,
        placement: previousPlacement !== placement,
        carer: previousPlacement?.carerId !== placement.carerId,
      });
      // A change date always changes something: placements start strictly later, and only real LS changes count.
      if (change === null) throw new InvalidChildHistoryError(history.childId, ['an episode boundary with no change']);
      rne = change;
    }
    const nextDecom = changeDates[k + 1];
    let dec: IsoDate | null;
    let rec: ReasonEpisodeCeasedCode | null;
    let reasonPlaceChange: ReasonPlaceChangeCode | null = null;
    if (nextDecom !== undefined) {
      dec = nextDecom;
      rec = 'X1';
      if (placementAt(nextDecom) !== placement) reasonPlaceChange = placement.reasonForChange;
    } else {
      dec = period.endDate;
      rec = period.reasonCeased;
    }
    episodes.push({
      child: history.childId,
      decom,
      rne,
      ls: legalStatus.legalStatus,
      cin: period.categoryOfNeed,
      place: placement.place,
      placeProvider: placement.placeProvider,
      dec,
      rec,
      reasonPlaceChange,
      homePost,
      plPost: placement.postcode,
      urn: urnColumn(placement.urn),
    });
  });
  return episodes;
}

/**
 * The child's episodes in the return for a collection year (DfE naming: 2025 = 1 April 2024
 * to 31 March 2025): every episode open on any day of the year. An episode that continues past
 * 31 March is reported as still open (blank DEC, REC and REASON_PLACE_CHANGE), as it was
 * known at the year's end. Throws InvalidChildHistoryError when the history breaks its rules.
 */
export function deriveEpisodes(history: ChildHistory, year: number): Episode[] {
  const problems = historyProblems(history);
  if (problems.length > 0) throw new InvalidChildHistoryError(history.childId, problems);
  const { start, end } = collectionYear(year);
  const rows: Episode[] = [];
  for (const period of history.periods) {
    if (period.startDate > end || (period.endDate !== null && period.endDate < start)) continue;
    for (const episode of periodEpisodes(history, period)) {
      if (episode.decom > end || (episode.dec !== null && episode.dec < start)) continue;
      rows.push(
        episode.dec !== null && episode.dec > end
          ? { ...episode, dec: null, rec: null, reasonPlaceChange: null }
          : episode,
      );
    }
  }
  return rows;
}

/** The return's deterministic order: CHILD, then DECOM. */
export function compareEpisodes(a: Episode, b: Episode): number {
  if (a.child !== b.child) return a.child < b.child ? -1 : 1;
  return a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : 0;
}

/** Episodes of many children for one year, in the return's order. */
export function deriveEpisodesForYear(histories: Iterable<ChildHistory>, year: number): Episode[] {
  const rows: Episode[] = [];
  for (const history of histories) rows.push(...deriveEpisodes(history, year));
  return rows.sort(compareEpisodes);
}
