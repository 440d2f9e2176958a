import type { EthnicCode, PlaceCode, PlaceProviderCode, ReasonNewEpisodeCode } from './codes';
import type { IsoDate } from './dates';
import { compareEpisodes, type Episode } from './episodes';
import type { HeaderRow } from './header';
import type { ChildHistory, LegalStatusChange, PeriodOfCare, PlacementSpell } from './history';
import { importId } from './ids';
import { changeOf } from './rules';

/** The carer id an imported return implies: a new carer at S, P and B; T and U keep the carer. */
export function importedCarerId(child: string, decom: IsoDate): string {
  return `carer-${importId('carer', child, decom)}`;
}

export interface HistoriesFromReturn {
  readonly histories: ChildHistory[];
  /** Children with episodes but no header row (no sex or date of birth to register them with). */
  readonly childrenWithoutHeader: string[];
  /** Header rows with no episode. */
  readonly headersWithoutEpisodes: string[];
}

function periodFromEpisodes(rows: readonly Episode[]): PeriodOfCare {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const legalStatuses: LegalStatusChange[] = [{ legalStatus: first.ls, from: first.decom }];
  const spells: { start: Episode; carerId: string; lastEpisode: Episode }[] = [];
  for (const e of rows) {
    const change = e === first ? changeOf('S') : changeOf(e.rne);
    if (e !== first && e.ls !== legalStatuses[legalStatuses.length - 1].legalStatus)
      legalStatuses.push({ legalStatus: e.ls, from: e.decom });
    if (change.placement) {
      const previous = spells.at(-1);
      const carerId = change.carer || previous === undefined ? importedCarerId(e.child, e.decom) : previous.carerId;
      spells.push({ start: e, carerId, lastEpisode: e });
    } else {
      const current = spells.at(-1);
      if (current !== undefined) current.lastEpisode = e;
    }
  }
  const placements: PlacementSpell[] = spells.map((s, i) => {
    const next = spells[i + 1];
    return {
      place: s.start.place,
      placeProvider: s.start.placeProvider,
      urn: s.start.urn === 'XXXXXXX' ? null : s.start.urn,
      postcode: s.start.plPost,
      carerId: s.carerId,
      startDate: s.start.decom,
      endDate: next !== undefined ? next.start.decom : last.dec,
      reasonForChange: next !== undefined ? s.lastEpisode.reasonPlaceChange : null,
    };
  });
  return {
    startDate: first.decom,
    endDate: last.dec,
    reasonCeased: last.rec === null || last.rec === 'X1' ? null : last.rec,
    categoryOfNeed: first.cin,
    homePostcode: first.homePost,
    ...(first.rne === 'S' ? {} : { firstEpisodeReason: first.rne }),
    legalStatuses,
    placements,
  };
}

/**
 * Turns a validated return (rows accepted by readEpisodesCsv / readHeaderCsv) back into
 * children's histories, so that deriveEpisodes for the same year gives the same rows.
 * A period of care is a run of episodes joined by X1.
 */
export function episodesToHistories(episodes: readonly Episode[], headers: readonly HeaderRow[]): HistoriesFromReturn {
  const headerByChild = new Map(headers.map((h) => [h.child, h]));
  const byChild = new Map<string, Episode[]>();
  for (const e of [...episodes].sort(compareEpisodes)) {
    const list = byChild.get(e.child) ?? [];
    list.push(e);
    byChild.set(e.child, list);
  }
  const histories: ChildHistory[] = [];
  const childrenWithoutHeader: string[] = [];
  for (const [child, rows] of byChild) {
    const header = headerByChild.get(child);
    if (header === undefined) {
      childrenWithoutHeader.push(child);
      continue;
    }
    const periods: PeriodOfCare[] = [];
    let current: Episode[] = [];
    for (const e of rows) {
      current.push(e);
      if (e.rec !== 'X1') {
        periods.push(periodFromEpisodes(current));
        current = [];
      }
    }
    if (current.length > 0) periods.push(periodFromEpisodes(current));
    // The child's HOME_POST is that of the first period; a later period overrides it only when different.
    const homePostcode = rows[0].homePost;
    histories.push({
      childId: child,
      sex: header.sex,
      dateOfBirth: header.dob,
      ...(header.ethnic === null ? {} : { ethnicity: header.ethnic }),
      ...(header.upn === null ? {} : { upn: header.upn }),
      ...(header.mother === null ? {} : { mother: header.mother }),
      ...(header.mcDob === null ? {} : { motherChildDateOfBirth: header.mcDob }),
      homePostcode,
      periods: periods.map((p) => (p.homePostcode === homePostcode ? withoutHomePostcode(p) : p)),
    });
  }
  const headersWithoutEpisodes = headers.filter((h) => !byChild.has(h.child)).map((h) => h.child);
  return { histories, childrenWithoutHeader, headersWithoutEpisodes };
}

function withoutHomePostcode(period: PeriodOfCare): PeriodOfCare {
  const { homePostcode: _omit, ...rest } = period;
  return rest;
}

/** What every import command carries: its deterministic id, and the child whose history it writes. */
interface ImportCommandOf<K extends string> {
  readonly kind: K;
  readonly commandId: string;
  readonly childId: string;
}

/**
 * What an import must write, as commands with deterministic ids: the same history always gives
 * the same ids, so importing a return twice writes nothing the second time (the store treats a
 * re-appended event id as already written). The lead maps these onto domain commands/events.
 * A command carries the history's values, so its fields have the history's types.
 */
export type ImportCommand =
  | (ImportCommandOf<'RegisterChild'> & {
      readonly sex: ChildHistory['sex'];
      readonly dateOfBirth: IsoDate;
      readonly ethnicity: EthnicCode | null;
      readonly upn: string | null;
      readonly mother: '0' | '1' | null;
      readonly motherChildDateOfBirth: IsoDate | null;
      readonly homePostcode: string;
      /** CIN of the child's first period (the domain keeps one per child; each StartPlacement carries its period's). */
      readonly categoryOfNeed: PeriodOfCare['categoryOfNeed'];
    })
  | (ImportCommandOf<'StartPlacement'> & {
      readonly placementId: string;
      readonly carerId: string;
      readonly startDate: IsoDate;
      readonly place: PlacementSpell['place'];
      readonly placeProvider: PlacementSpell['placeProvider'];
      readonly urn: string | null;
      readonly postcode: string;
      /** Legal status in force from this date (a B/U episode changes both at once). */
      readonly legalStatus: LegalStatusChange['legalStatus'];
      readonly categoryOfNeed: PeriodOfCare['categoryOfNeed'];
      readonly homePostcode: string;
      /** True when this placement starts a period of care (RNE S). */
      readonly startsPeriodOfCare: boolean;
      /** RNE of a period's first known episode when the return begins mid-period; null otherwise. */
      readonly firstEpisodeReason: Exclude<ReasonNewEpisodeCode, 'S'> | null;
    })
  | (ImportCommandOf<'ChangeLegalStatus'> & {
      readonly legalStatus: LegalStatusChange['legalStatus'];
      readonly effectiveDate: IsoDate;
    })
  | (ImportCommandOf<'EndPlacement'> & {
      readonly placementId: string;
      readonly endDate: IsoDate;
      /** Why the child moved to another placement; null when care ended. */
      readonly reasonForChange: PlacementSpell['reasonForChange'];
      /** REC when the placement's end ends the period of care; null when the child moved on. */
      readonly reasonCareEnded: PeriodOfCare['reasonCeased'];
    });

export function importedPlacementId(childId: string, startDate: IsoDate): string {
  return importId('placement', childId, startDate);
}

/** The commands that write one child's history, in the order they must be applied. */
export function historyToCommands(history: ChildHistory): ImportCommand[] {
  const child = history.childId;
  const firstPeriod = history.periods[0];
  // Histories built from a return always have a period; one without has no episode to import.
  if (firstPeriod === undefined) throw new RangeError(`child ${child} has no period of care to import`);
  const commands: ImportCommand[] = [
    {
      kind: 'RegisterChild',
      commandId: importId('RegisterChild', child),
      childId: child,
      sex: history.sex,
      dateOfBirth: history.dateOfBirth,
      ethnicity: history.ethnicity ?? null,
      upn: history.upn ?? null,
      mother: history.mother ?? null,
      motherChildDateOfBirth: history.motherChildDateOfBirth ?? null,
      homePostcode: history.homePostcode,
      categoryOfNeed: firstPeriod.categoryOfNeed,
    },
  ];
  for (const period of history.periods) {
    const lsAt = (d: IsoDate) =>
      period.legalStatuses.filter((ls) => ls.from <= d).at(-1)?.legalStatus ?? period.legalStatuses[0].legalStatus;
    const placementStarts = new Set(period.placements.map((p) => p.startDate));
    const events: { date: IsoDate; order: number; command: ImportCommand }[] = [];
    period.placements.forEach((pl, i) => {
      const placementId = importedPlacementId(child, pl.startDate);
      events.push({
        date: pl.startDate,
        order: 2,
        command: {
          kind: 'StartPlacement',
          commandId: importId('StartPlacement', child, pl.startDate),
          childId: child,
          placementId,
          carerId: pl.carerId,
          startDate: pl.startDate,
          place: pl.place,
          placeProvider: pl.placeProvider,
          urn: pl.urn,
          postcode: pl.postcode,
          legalStatus: lsAt(pl.startDate),
          categoryOfNeed: period.categoryOfNeed,
          homePostcode: period.homePostcode ?? history.homePostcode,
          startsPeriodOfCare: i === 0 && (period.firstEpisodeReason ?? 'S') === 'S',
          firstEpisodeReason:
            i === 0 && period.firstEpisodeReason !== undefined && period.firstEpisodeReason !== 'S'
              ? period.firstEpisodeReason
              : null,
        },
      });
      if (pl.endDate !== null) {
        const last = i === period.placements.length - 1;
        events.push({
          date: pl.endDate,
          order: 0,
          command: {
            kind: 'EndPlacement',
            commandId: importId('EndPlacement', child, pl.startDate, pl.endDate),
            childId: child,
            placementId,
            endDate: pl.endDate,
            reasonForChange: last ? null : pl.reasonForChange,
            reasonCareEnded: last ? period.reasonCeased : null,
          },
        });
      }
    });
    period.legalStatuses.forEach((ls, i) => {
      // A status that starts with a placement travels on StartPlacement.
      if (i === 0 || placementStarts.has(ls.from)) return;
      events.push({
        date: ls.from,
        order: 1,
        command: {
          kind: 'ChangeLegalStatus',
          commandId: importId('ChangeLegalStatus', child, ls.from),
          childId: child,
          legalStatus: ls.legalStatus,
          effectiveDate: ls.from,
        },
      });
    });
    events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order));
    commands.push(...events.map((e) => e.command));
  }
  return commands;
}

/** A registered setting the return refers to by URN; the import creates unknown ones as external settings. */
export interface ReferencedSetting {
  readonly urn: string;
  readonly places: readonly PlaceCode[];
  readonly placeProviders: readonly PlaceProviderCode[];
  readonly postcodes: readonly string[];
}

export function referencedSettings(histories: Iterable<ChildHistory>): ReferencedSetting[] {
  const byUrn = new Map<
    string,
    { places: Set<PlaceCode>; providers: Set<PlaceProviderCode>; postcodes: Set<string> }
  >();
  for (const h of histories)
    for (const p of h.periods)
      for (const pl of p.placements) {
        if (pl.urn === null) continue;
        const entry = byUrn.get(pl.urn) ?? { places: new Set(), providers: new Set(), postcodes: new Set() };
        entry.places.add(pl.place);
        if (pl.placeProvider !== null) entry.providers.add(pl.placeProvider);
        entry.postcodes.add(pl.postcode);
        byUrn.set(pl.urn, entry);
      }
  return [...byUrn.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([urn, e]) => ({
      urn,
      places: [...e.places].sort(),
      placeProviders: [...e.providers].sort(),
      postcodes: [...e.postcodes].sort(),
    }));
}
