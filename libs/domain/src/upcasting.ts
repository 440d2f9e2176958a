import { addDays, isBusinessDate } from './shared/dates';
import { endsPeriodOfCare, isRecCode } from './ssda903-codes';

/**
 * Events are immutable, so a changed event shape gets a new `schemaVersion` and the old
 * versions are read through pure upcasters, here and nowhere else. Everything that folds
 * stored events (the API's stream loads, the projections, the audit replay, the SSDA903
 * export) reads them through `upcast`, so events written by earlier builds still load.
 *
 * Versions in use:
 * - `BedOutOfUse` v2: `[from, to)` with `to` the first date back in use. v1 carried `until`,
 *   the last day out of use (the rule was "until on or after from"), so `to` = `until` + 1 day.
 * - `PlacementEnded` v2: `next`, what follows the end. v1 did not say; an E-code REC meant the child
 *   left care ('leaves-care'), anything else is read as not said (null).
 */
export interface StoredEvent {
  readonly type: string;
  /** Absent on events written before versions were kept: version 1. */
  readonly schemaVersion?: number;
  readonly data: unknown;
}

type Data = Readonly<Record<string, unknown>>;
/** Upcasters per event type; entry `i` reads version `i + 1` and returns version `i + 2`. */
const UPCASTERS: Readonly<Record<string, readonly ((data: Data) => Data)[]>> = {
  BedOutOfUse: [
    ({ until, ...rest }) => ({
      ...rest,
      to: typeof until === 'string' && isBusinessDate(until) ? addDays(until, 1) : null,
    }),
  ],
  PlacementEnded: [
    (data) => {
      const rec = data['reasonEpisodeCeased'];
      return { ...data, next: isRecCode(rec) && endsPeriodOfCare(rec) ? 'leaves-care' : null };
    },
  ],
};

/** The version this build writes for an event type. */
export function currentSchemaVersion(type: string): number {
  return (UPCASTERS[type]?.length ?? 0) + 1;
}

/** The event in its current shape. A version newer than this build knows is refused, never guessed at. */
export function upcast<E extends { readonly type: string; readonly data: unknown }>(event: StoredEvent): E {
  const current = currentSchemaVersion(event.type);
  const version = event.schemaVersion ?? 1;
  if (version > current) {
    throw new RangeError(`${event.type} schema version ${version} is newer than this build reads (${current})`);
  }
  let data = event.data as Data;
  for (const step of (UPCASTERS[event.type] ?? []).slice(version - 1)) data = step(data);
  return { type: event.type, data } as unknown as E;
}
