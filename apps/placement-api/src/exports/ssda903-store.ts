import {
  childDecider,
  childStreamId,
  isDomainError,
  settingDecider,
  settingStreamId,
  type ChildCommand,
  type ChildEvent,
  type ChildState,
  type DomainEvent,
  type SettingCommand,
  type SettingEvent,
  type SettingState,
  type SettingType,
  type UnitRef,
  currentSchemaVersion,
  upcast,
  exhaustive,
} from '@placement/domain';
import type { EventStore, EventToAppend, RecordedEvent } from '@placement/event-store';
import {
  childHistoryFromEvents,
  exportReturn,
  importCommandToDomain,
  importId,
  type ChildHistory,
  type ExportedReturn,
  type ImportCommand,
  type ImportPlan,
  type PlaceCode,
  type ReferencedSetting,
} from '@placement/ssda903';
import { deterministicEventId } from '../commands/command';

/**
 * The SSDA903 return against the event store, without Nest, so the API, the operator CLI and the
 * bench run the same code. Export reads the whole log (every `child-*` stream plus the settings'
 * and households' postcodes) per request: at an authority's scale that is a second or two, and no
 * read model has to be kept in step with the return's rules.
 */

const PAGE = 10_000;
/** Children imported at once; each is one read and one append of its own stream. */
const CHILDREN_IN_FLIGHT = 64;

/** Every recorded event, oldest first, in pages so the store never materialises the log twice. */
async function* allEvents(store: EventStore): AsyncGenerator<RecordedEvent> {
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll(after === undefined ? { maxCount: PAGE } : { after, maxCount: PAGE });
    for (const event of page) yield event;
    if (page.length < PAGE) return;
    after = page[page.length - 1].position;
  }
}

interface Postcodes {
  readonly bySetting: Map<string, string>;
  readonly byUrn: Map<string, string>;
  readonly byHousehold: Map<string, string>;
}

/**
 * PL_POST for a placement event that carried none: the setting's or household's postcode,
 * or an external setting's by URN.
 */
function postcodeOf(postcodes: Postcodes) {
  return (unit: UnitRef): string | null => {
    switch (unit.kind) {
      case 'bed':
        return postcodes.bySetting.get(unit.settingId) ?? null;
      case 'household':
        return postcodes.byHousehold.get(unit.householdId) ?? null;
      case 'block-bed':
        return null;
      case 'external':
        return unit.urn === null ? null : (postcodes.byUrn.get(unit.urn) ?? null);
      default:
        return exhaustive(unit);
    }
  };
}

function notePostcodes(event: DomainEvent, postcodes: Postcodes): void {
  switch (event.type) {
    case 'SettingRegistered':
      postcodes.bySetting.set(event.data.settingId, event.data.postcode);
      if (event.data.urn !== null) postcodes.byUrn.set(event.data.urn, event.data.postcode);
      return;
    case 'FosterHouseholdApproved':
    case 'ApprovalTermsChanged':
      postcodes.byHousehold.set(event.data.householdId, event.data.terms.postcode);
      return;
    default:
      return;
  }
}

export interface ChildHistories {
  readonly histories: ChildHistory[];
  /** Children whose events do not make a return history; ids and reasons only, never personal data. */
  readonly excluded: { readonly childId: string; readonly problems: readonly string[] }[];
}

/** Every child's history from the log (children's streams are `child-{id}`). */
export async function readChildHistories(store: EventStore): Promise<ChildHistories> {
  const byChild = new Map<string, ChildEvent[]>();
  const postcodes: Postcodes = { bySetting: new Map(), byUrn: new Map(), byHousehold: new Map() };
  for await (const event of allEvents(store)) {
    if (event.streamId.startsWith('child-')) {
      const list = byChild.get(event.streamId);
      const childEvent = upcast<ChildEvent>(event);
      if (list === undefined) byChild.set(event.streamId, [childEvent]);
      else list.push(childEvent);
    } else notePostcodes(upcast<DomainEvent>(event), postcodes);
  }
  const options = { postcodeOf: postcodeOf(postcodes) };
  const histories: ChildHistory[] = [];
  const excluded: { childId: string; problems: readonly string[] }[] = [];
  for (const [streamId, events] of byChild) {
    const { history, problems } = childHistoryFromEvents(events, options);
    if (history !== null) histories.push(history);
    else excluded.push({ childId: streamId.slice('child-'.length), problems });
  }
  return { histories, excluded };
}

/** episodes.csv and header.csv for a collection year (2025 = 1 April 2024 to 31 March 2025), from the log. */
export async function exportSsda903(store: EventStore, year: number): Promise<ExportedReturn> {
  const { histories, excluded } = await readChildHistories(store);
  const exported = exportReturn(histories, year);
  // Children whose events cannot make a history are reported with those the episode rules refused.
  const all = [...exported.excluded, ...excluded].sort((a, b) =>
    a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : 0,
  );
  return { ...exported, excluded: all };
}

// ---- import ----

export interface ImportWriter {
  readonly localAuthority: string;
  /** Who the events are recorded as (the operator running the CLI). */
  readonly actor: { readonly id: string; readonly role: string };
  readonly correlationId: string;
}

export interface ImportWriteSummary {
  /** External settings created for URNs the store did not know. */
  readonly settingsCreated: readonly { readonly settingId: string; readonly urn: string }[];
  readonly childrenWritten: number;
  /** Children whose every import command was already recorded (a re-import). */
  readonly childrenUnchanged: number;
  /** Children the domain refused: id and the decider's reason, never personal data. */
  readonly childrenRefused: readonly { readonly childId: string; readonly reason: string }[];
  readonly eventsWritten: number;
}

interface Decider<C, E, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  readonly initialState: S;
}

/**
 * Applies commands to one stream: folds what is recorded, skips commands already recorded (by
 * command id), decides the rest in order and appends them in one write at the revision read.
 * Event ids derive from the command id, so a repeated import appends nothing.
 */
async function decideAll<C, E extends { type: string; data: unknown }, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  commands: readonly { readonly commandId: string; readonly command: C }[],
  writer: ImportWriter,
): Promise<number> {
  const recorded = await store.readStream(streamId);
  let state = recorded.reduce((s, r) => decider.evolve(s, upcast<E>(r)), decider.initialState);
  const done = new Set(recorded.map((r) => r.metadata.commandId));
  const toAppend: EventToAppend[] = [];
  for (const { commandId, command } of commands) {
    if (done.has(commandId)) continue;
    decider.decide(command, state).forEach((event, i) => {
      state = decider.evolve(state, event);
      toAppend.push({
        id: deterministicEventId(commandId, streamId, i),
        type: event.type,
        schemaVersion: currentSchemaVersion(event.type),
        data: event.data,
        metadata: { commandId, correlationId: writer.correlationId, causationId: commandId, actor: writer.actor },
      });
    });
  }
  if (toAppend.length === 0) return 0;
  const last = recorded[recorded.length - 1];
  await store.append(streamId, toAppend, { expectedRevision: last === undefined ? 'no_stream' : last.revision });
  return toAppend.length;
}

function settingTypeOf(places: readonly PlaceCode[]): SettingType {
  if (places.includes('K1')) return 'secure';
  if (places.includes('K2')) return 'childrens-home';
  if (places.includes('K3')) return 'supported-accommodation';
  if (places.includes('S1')) return 'residential-school';
  return 'other';
}

/** The id an imported external setting gets: stable, so a re-import finds it. */
export const importedSettingId = (urn: string): string => `imported-${urn.toLowerCase()}`;

async function knownUrns(store: EventStore): Promise<Set<string>> {
  const urns = new Set<string>();
  for await (const event of allEvents(store)) {
    if (!event.streamId.startsWith('setting-')) continue;
    const setting = upcast<SettingEvent>(event);
    if (setting.type !== 'SettingRegistered' && setting.type !== 'SettingRegistrationChanged') continue;
    if (setting.data.urn !== null) urns.add(setting.data.urn);
  }
  return urns;
}

function earliestUse(histories: readonly ChildHistory[]): Map<string, string> {
  const first = new Map<string, string>();
  for (const h of histories)
    for (const p of h.periods)
      for (const pl of p.placements) {
        if (pl.urn === null) continue;
        const seen = first.get(pl.urn);
        if (seen === undefined || pl.startDate < seen) first.set(pl.urn, pl.startDate);
      }
  return first;
}

/** A setting the return names by URN and the store does not know: registered as an external setting. */
function externalSetting(setting: ReferencedSetting, registeredOn: string): SettingCommand {
  const type = settingTypeOf(setting.places);
  return {
    type: 'RegisterSetting',
    data: {
      settingId: importedSettingId(setting.urn),
      name: `External setting ${setting.urn} (from an SSDA903 return)`,
      urn: setting.urn,
      provider: { kind: 'external', name: `Provider of ${setting.urn}`, code: setting.placeProviders[0] ?? 'PR4' },
      type,
      // The return says nothing of the registration; this records only what its episodes imply.
      registration: {
        ageRange: { min: type === 'supported-accommodation' ? 16 : 0, max: 17 },
        sexes: 'any',
        maxChildren: 1,
      },
      postcode: setting.postcodes[0] ?? '',
      localAuthority: 'unknown',
      registeredOn,
    },
  };
}

/**
 * Writes an import plan: unknown URNs as external settings, then each child's commands through
 * the child decider on `child-{id}`. Nothing is written for a plan with `nothingToWrite`.
 * A child the domain refuses (e.g. an id already used by a child recorded here) is skipped whole.
 */
export async function applyImportPlan(
  store: EventStore,
  plan: ImportPlan,
  writer: ImportWriter,
): Promise<ImportWriteSummary> {
  const empty: ImportWriteSummary = {
    settingsCreated: [],
    childrenWritten: 0,
    childrenUnchanged: 0,
    childrenRefused: [],
    eventsWritten: 0,
  };
  if (plan.report.nothingToWrite || plan.commands.length === 0) return empty;
  let eventsWritten = 0;

  const settingsCreated: { settingId: string; urn: string }[] = [];
  if (plan.report.settingsReferenced.length > 0) {
    const known = await knownUrns(store);
    const firstUse = earliestUse(plan.histories);
    for (const setting of plan.report.settingsReferenced) {
      if (known.has(setting.urn)) continue;
      const settingId = importedSettingId(setting.urn);
      const command = externalSetting(setting, firstUse.get(setting.urn) ?? '2000-01-01');
      const written = await decideAll<SettingCommand, SettingEvent, SettingState>(
        store,
        settingDecider,
        settingStreamId(settingId),
        [{ commandId: importId('RegisterSetting', setting.urn), command }],
        writer,
      );
      eventsWritten += written;
      settingsCreated.push({ settingId, urn: setting.urn });
    }
  }

  const byChild = new Map<string, ImportCommand[]>();
  for (const command of plan.commands) {
    const list = byChild.get(command.childId);
    if (list === undefined) byChild.set(command.childId, [command]);
    else list.push(command);
  }
  let childrenWritten = 0;
  let childrenUnchanged = 0;
  const childrenRefused: { childId: string; reason: string }[] = [];
  const importChild = async ([childId, commands]: [string, ImportCommand[]]) => {
    const domainCommands = commands.map((c) => ({
      commandId: c.commandId,
      command: importCommandToDomain(c, { localAuthority: writer.localAuthority }),
    }));
    try {
      const written = await decideAll<ChildCommand, ChildEvent, ChildState>(
        store,
        childDecider,
        childStreamId(childId),
        domainCommands,
        writer,
      );
      eventsWritten += written;
      if (written > 0) childrenWritten += 1;
      else childrenUnchanged += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      childrenRefused.push({ childId, reason: `${error.code}: ${error.message}` });
    }
  };
  // Children's streams are independent: many appends in flight let the store commit them in groups.
  const queue = byChild.entries();
  const worker = async () => {
    for (let next = queue.next(); !next.done; next = queue.next()) await importChild(next.value);
  };
  await Promise.all(Array.from({ length: CHILDREN_IN_FLIGHT }, worker));
  childrenRefused.sort((a, b) => (a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : 0));
  return { settingsCreated, childrenWritten, childrenUnchanged, childrenRefused, eventsWritten };
}
