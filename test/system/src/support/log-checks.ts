import { randomUUID } from 'node:crypto';
import { openSqliteEventStore, type RecordedEvent, type VerifyResult } from '@placement/event-store';

/** The whole log through the real sqlite adapter, read-only (the API may be running or dead). */
export async function readLog(sqlitePath: string): Promise<{ events: RecordedEvent[]; verify: VerifyResult }> {
  const store = await openSqliteEventStore({ path: sqlitePath, readonly: true });
  try {
    return { events: await store.readAll(), verify: await store.verify() };
  } finally {
    await store.close();
  }
}

/**
 * What a placement's first attempt wrote to one unit's stream before a kill (the API must be dead):
 * the event appended at the stream's end under the command's id, as the demo placement officer,
 * recorded a minute ago.
 */
export async function appendInterruptedWrite(
  sqlitePath: string,
  streamId: string,
  commandId: string,
  event: { type: string; data: Record<string, unknown> },
): Promise<void> {
  const store = await openSqliteEventStore({ path: sqlitePath });
  try {
    const stream = await store.readStream(streamId);
    await store.append(
      streamId,
      [
        {
          id: randomUUID(),
          type: event.type,
          data: { ...event.data, at: new Date(Date.now() - 60_000).toISOString() },
          metadata: {
            commandId,
            correlationId: commandId,
            causationId: commandId,
            actor: { id: 'demo-placement-officer', role: 'placement-officer' },
          },
        },
      ],
      { expectedRevision: stream[stream.length - 1].revision },
    );
  } finally {
    await store.close();
  }
}

/** What the client saw for one acknowledged (2xx) command. */
export interface Acknowledgement {
  readonly commandId: string;
  readonly label: string;
  /** Event types the response said the command wrote (or, on a retry, had written). */
  readonly events: readonly string[];
}

function sortedTypes(types: readonly string[]): string {
  return [...types].sort().join(',');
}

/** A unit taken for a placement, and the event that gives it back when the placement never stood. */
const TAKES = new Set(['BedOccupied', 'ChildPlacedWithHousehold', 'BlockBedAllocated']);
const UNDOES = new Set(['BedVacated', 'ChildLeftHousehold', 'BlockBedReleased']);

/**
 * The takes a compensation undid (the unit given back because the child's side was never
 * written: the command failed, or crashed and the reconciler repaired it), and the
 * compensations themselves: neither is a command's effect. A retry of that command takes the
 * unit again, under the same command id, and that second take is the one that stands.
 */
function undoneTakes(events: readonly RecordedEvent[]): Set<RecordedEvent> {
  const undone = new Set<RecordedEvent>();
  const standing = new Map<string, RecordedEvent>();
  for (const e of events) {
    const data = e.data as { placementId?: string; reason?: string };
    const key = `${e.streamId}/${data.placementId}`;
    if (TAKES.has(e.type)) standing.set(key, e);
    else if (UNDOES.has(e.type) && data.reason === 'compensation') {
      const take = standing.get(key);
      if (take) undone.add(take);
      undone.add(e);
      standing.delete(key);
    }
  }
  return undone;
}

/**
 * Every acknowledged command is in the log exactly once: the events carrying its command id
 * are exactly the events its response named — none missing (lost), none twice (duplicated).
 * A take undone by a compensation is not counted (see `undoneTakes`).
 */
export function acknowledgedExactlyOnce(events: readonly RecordedEvent[], acks: readonly Acknowledgement[]): string[] {
  const byCommand = new Map<string, string[]>();
  const undone = undoneTakes(events);
  for (const e of events) {
    if (undone.has(e)) continue;
    const list = byCommand.get(e.metadata.commandId) ?? [];
    list.push(e.type);
    byCommand.set(e.metadata.commandId, list);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const ack of acks) {
    if (seen.has(ack.commandId)) continue;
    seen.add(ack.commandId);
    const found = byCommand.get(ack.commandId) ?? [];
    if (ack.events.length === 0) problems.push(`${ack.label} ${ack.commandId}: acknowledged with no events`);
    else if (sortedTypes(found) !== sortedTypes(ack.events)) {
      problems.push(
        `${ack.label} ${ack.commandId}: acknowledged [${sortedTypes(ack.events)}], log holds [${sortedTypes(found)}]`,
      );
    }
  }
  return problems;
}

/**
 * A refused command wrote nothing that stands: no event of it on a child's or a referral's
 * record. (A unit it took first may show its take and the compensating release.)
 */
export function rejectedLeftNoRecord(
  events: readonly RecordedEvent[],
  rejected: readonly { commandId: string; label: string; status: number; code: string | null }[],
): string[] {
  const recordStreams = new Map<string, string[]>();
  for (const e of events) {
    if (!e.streamId.startsWith('child-') && !e.streamId.startsWith('referral-')) continue;
    const list = recordStreams.get(e.metadata.commandId) ?? [];
    list.push(`${e.streamId}:${e.type}`);
    recordStreams.set(e.metadata.commandId, list);
  }
  return rejected
    .filter((r) => recordStreams.has(r.commandId))
    .map(
      (r) =>
        `${r.label} ${r.commandId} was refused ${r.status} ${r.code} ` +
        `but wrote ${recordStreams.get(r.commandId)?.join(', ')}`,
    );
}

interface UnitData {
  settingId?: string;
  bedId?: string;
  householdId?: string;
  placementId: string;
  childId: string;
  unit?: { kind: string; settingId?: string; bedId?: string; householdId?: string };
  terms?: { maxChildren: number };
  registration?: { maxChildren: number };
}

type UnitKey = string;
function unitKey(
  unit: { kind: string; settingId?: string; bedId?: string; householdId?: string } | undefined,
): UnitKey | null {
  if (!unit) return null;
  if (unit.kind === 'bed') return `bed:${unit.settingId}.${unit.bedId}`;
  if (unit.kind === 'household') return `household:${unit.householdId}`;
  return null;
}

/** Who holds what, folded from the log event by event; `check` runs after every event. */
class Occupancy {
  /** bed key → placement ids occupying it (more than one is a double booking). */
  readonly beds = new Map<UnitKey, Map<string, string>>();
  readonly households = new Map<UnitKey, Map<string, string>>();
  readonly householdMax = new Map<UnitKey, number>();
  readonly settingMax = new Map<string, number>();
  /** child id → open placements (placement id → unit key). */
  readonly openPlacements = new Map<string, Map<string, UnitKey | null>>();

  apply(e: RecordedEvent): void {
    const d = e.data as UnitData;
    switch (e.type) {
      case 'SettingRegistered':
      case 'SettingRegistrationChanged':
        if (d.registration && d.settingId) this.settingMax.set(d.settingId, d.registration.maxChildren);
        break;
      case 'FosterHouseholdApproved':
      case 'ApprovalTermsChanged':
        if (d.terms && d.householdId) this.householdMax.set(`household:${d.householdId}`, d.terms.maxChildren);
        break;
      case 'BedOccupied':
        this.put(this.beds, `bed:${d.settingId}.${d.bedId}`, d.placementId, d.childId);
        break;
      case 'BedVacated':
        this.beds.get(`bed:${d.settingId}.${d.bedId}`)?.delete(d.placementId);
        break;
      case 'ChildPlacedWithHousehold':
        this.put(this.households, `household:${d.householdId}`, d.placementId, d.childId);
        break;
      case 'ChildLeftHousehold':
        this.households.get(`household:${d.householdId}`)?.delete(d.placementId);
        break;
      case 'PlacementStarted': {
        const open = this.openPlacements.get(d.childId) ?? new Map<string, UnitKey | null>();
        open.set(d.placementId, unitKey(d.unit));
        this.openPlacements.set(d.childId, open);
        break;
      }
      case 'PlacementEnded':
        this.openPlacements.get(d.childId)?.delete(d.placementId);
        break;
      default:
        break;
    }
  }

  private put(map: Map<UnitKey, Map<string, string>>, key: UnitKey, placementId: string, childId: string): void {
    const holders = map.get(key) ?? new Map<string, string>();
    holders.set(placementId, childId);
    map.set(key, holders);
  }

  /** Capacity and one-open-placement invariants, which must hold at every position. */
  capacityProblems(position: bigint): string[] {
    const problems: string[] = [];
    const perSetting = new Map<string, number>();
    for (const [bed, holders] of this.beds) {
      if (holders.size > 1)
        problems.push(`@${position} ${bed} held by ${holders.size} placements: ${[...holders.keys()].join(', ')}`);
      const settingId = bed.slice('bed:'.length, bed.lastIndexOf('.'));
      perSetting.set(settingId, (perSetting.get(settingId) ?? 0) + holders.size);
    }
    for (const [settingId, count] of perSetting) {
      const max = this.settingMax.get(settingId);
      if (max !== undefined && count > max)
        problems.push(`@${position} setting ${settingId} has ${count} children, registered for ${max}`);
    }
    for (const [household, holders] of this.households) {
      const max = this.householdMax.get(household) ?? 0;
      if (holders.size > max)
        problems.push(`@${position} ${household} has ${holders.size} children, approved for ${max}`);
    }
    for (const [childId, open] of this.openPlacements) {
      if (open.size > 1)
        problems.push(`@${position} child ${childId} has ${open.size} open placements: ${[...open.keys()].join(', ')}`);
    }
    return problems;
  }

  /** At rest (nothing in flight), every held unit and the child's record agree, both ways. */
  agreementProblems(): string[] {
    const problems: string[] = [];
    for (const [units, kind] of [
      [this.beds, 'bed'],
      [this.households, 'household'],
    ] as const) {
      for (const [key, holders] of units) {
        for (const [placementId, childId] of holders) {
          const open = this.openPlacements.get(childId);
          if (!open?.has(placementId))
            problems.push(
              `${key} is held for placement ${placementId}, ` +
                `which child ${childId} does not have open (${kind} half-taken)`,
            );
          else if (open.get(placementId) !== key)
            problems.push(`${key} is held for ${placementId}, which the child has in ${open.get(placementId)}`);
        }
      }
    }
    for (const [childId, open] of this.openPlacements) {
      for (const [placementId, key] of open) {
        if (key === null) continue;
        const holders = key.startsWith('bed:') ? this.beds.get(key) : this.households.get(key);
        if (holders?.get(placementId) !== childId)
          problems.push(
            `child ${childId} has placement ${placementId} open in ${key}, which does not hold it (half-taken)`,
          );
      }
    }
    return problems;
  }
}

/** Replays the log and checks capacity at every event position. */
export function capacityAtEveryPosition(events: readonly RecordedEvent[]): string[] {
  const occupancy = new Occupancy();
  const problems: string[] = [];
  for (const e of events) {
    occupancy.apply(e);
    // Only events that can change occupancy can break it; checking after them is checking everywhere.
    if (
      [
        'BedOccupied',
        'ChildPlacedWithHousehold',
        'PlacementStarted',
        'SettingRegistrationChanged',
        'ApprovalTermsChanged',
      ].includes(e.type)
    ) {
      problems.push(...occupancy.capacityProblems(e.position));
    }
  }
  return problems;
}

/** With nothing in flight, no bed or household place is half-taken. */
export function unitsAgree(events: readonly RecordedEvent[]): string[] {
  const occupancy = new Occupancy();
  for (const e of events) occupancy.apply(e);
  return occupancy.agreementProblems();
}

/** How many placements are open now, per kind of unit (for the report). */
export function openPlacementCount(events: readonly RecordedEvent[]): number {
  const occupancy = new Occupancy();
  for (const e of events) occupancy.apply(e);
  let n = 0;
  for (const open of occupancy.openPlacements.values()) n += open.size;
  return n;
}

/**
 * At rest, a referral a placement was made under is no longer open, and no bed is held for a
 * referral that is closed, withdrawn or placed under (a kill between the child's record and the
 * referral's closing leaves both; the start-up reconciler must finish them). `holds: false`
 * checks the referrals only (after retries, which the reconciler has not seen).
 */
export function referralsAgree(events: readonly RecordedEvent[], options: { holds?: boolean } = {}): string[] {
  const open = new Map<string, boolean>();
  const placedUnder = new Map<string, string>();
  const heldFor = new Map<string, string>();
  for (const e of events) {
    const d = e.data as { referralId?: string | null; placementId?: string; settingId?: string; bedId?: string };
    const bed = `bed:${d.settingId}.${d.bedId}`;
    switch (e.type) {
      case 'ReferralReceived':
        open.set(d.referralId ?? '', true);
        break;
      case 'ReferralClosed':
      case 'ReferralWithdrawn':
        open.set(d.referralId ?? '', false);
        break;
      case 'PlacementStarted':
        if (d.referralId) placedUnder.set(d.referralId, d.placementId ?? '');
        break;
      case 'BedHeld':
        heldFor.set(bed, d.referralId ?? '');
        break;
      case 'BedHoldReleased':
      case 'BedOccupied':
        heldFor.delete(bed);
        break;
      default:
        break;
    }
  }
  const problems: string[] = [];
  for (const [referralId, placementId] of placedUnder) {
    if (open.get(referralId))
      problems.push(`referral ${referralId} is open although placement ${placementId} was made under it`);
  }
  if (options.holds ?? true) {
    for (const [bed, referralId] of heldFor) {
      if (open.get(referralId) === false || placedUnder.has(referralId))
        problems.push(`${bed} is still held for referral ${referralId}, which no longer looks for a placement`);
    }
  }
  return problems;
}

/** Child data a test sent, to look for in the API's own log: what it is, and the text. */
export interface LogNeedle {
  readonly what: string;
  readonly text: string;
}

/** A date of birth as it might be written in a log: ISO, compact, and the British day/month/year. */
export function dateNeedles(what: string, iso: string): LogNeedle[] {
  const [y, m, d] = iso.split('-');
  const forms = [iso, `${y}${m}${d}`, `${d}/${m}/${y}`, `${Number(d)}/${Number(m)}/${y}`];
  return forms.map((text) => ({ what, text }));
}

/** A postcode as written with and without its space. */
export function postcodeNeedles(what: string, postcode: string): LogNeedle[] {
  return [postcode, postcode.replace(' ', '')].map((text) => ({ what, text }));
}

const LOGGED_REQUEST_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;
const LOGGED_CORRELATION_ID =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64}|sha256:[0-9a-f]{16})$/i;

/**
 * The API's own output (every line of stdout and stderr, in every field, the request and
 * correlation ids included: clients choose those headers) must hold none of the child data the
 * test sent. Each JSON line's `requestId` is a UUID or 16-64 hex digits, and its `correlationId`
 * that or a `sha256:` digest, so no header can carry a name or a date into the log. Problems name
 * the line number and what was found, never the line.
 */
export function childDataInLogs(logText: string, needles: readonly LogNeedle[]): string[] {
  const problems: string[] = [];
  logText.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const upper = line.toUpperCase();
    for (const needle of needles) {
      if (upper.includes(needle.text.toUpperCase())) problems.push(`log line ${index + 1} holds a ${needle.what}`);
    }
    if (!line.startsWith('{')) return;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // a line cut short by a SIGKILL
    }
    const { requestId, correlationId } = entry;
    if (requestId !== undefined && !(typeof requestId === 'string' && LOGGED_REQUEST_ID.test(requestId)))
      problems.push(`log line ${index + 1}: requestId is not a UUID or hex id`);
    if (
      correlationId !== undefined &&
      !(typeof correlationId === 'string' && LOGGED_CORRELATION_ID.test(correlationId))
    )
      problems.push(`log line ${index + 1}: correlationId is not a UUID, a hex id or a digest`);
  });
  return problems;
}
