import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { everyEvent, openSqliteEventStore, type EventStore, type RecordedEvent } from '@placement/event-store';
import { recordCliRead, withAccessLogOptions, type AccessLogOptions } from './access-log';

/** Exit codes: 0 exported, 1 the child is not in the record, 2 the store could not be read or the output written. */
export const EXPORTED = 0;
export const CHILD_NOT_FOUND = 1;
export const EXPORT_FAILED = 2;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const UNIT_STREAM = /^(bed|household|contract)-/;
const PAGE = 5_000;

/**
 * One event as a subject access request shows it: what was recorded, when, by which role (staff identities are not the
 * child's data).
 */
export interface ExportedEvent {
  stream: string;
  revision: string;
  position: string;
  recordedAt: string;
  effectiveAt?: string;
  actorRole: string;
  type: string;
  data: unknown;
}

export interface ChildRecordExport {
  subjectAccessExport: { childId: string; generatedAt: string; storeHeadPosition: string; eventCount: number };
  /** Every event of the child's own stream: placements, step-downs, legal status. */
  child: ExportedEvent[];
  /** Every event of each referral made for the child, by referral id. */
  referrals: Record<string, ExportedEvent[]>;
  /** Events of beds, foster households and block-booked beds that name the child (holds, occupancy, moves). */
  units: ExportedEvent[];
}

function exported(event: RecordedEvent): ExportedEvent {
  const { recordedAt, effectiveAt, actor } = event.metadata;
  return {
    stream: event.streamId,
    revision: event.revision.toString(),
    position: event.position.toString(),
    recordedAt,
    ...(effectiveAt ? { effectiveAt } : {}),
    actorRole: actor.role,
    type: event.type,
    data: event.data,
  };
}

/** True when `childId` is the value of a `childId` key anywhere in the event's data. */
function namesChild(data: unknown, childId: string): boolean {
  if (Array.isArray(data)) return data.some((item) => namesChild(item, childId));
  if (data === null || typeof data !== 'object') return false;
  return Object.entries(data).some(
    ([key, value]) => (key === 'childId' && value === childId) || namesChild(value, childId),
  );
}

/** The child's full record from the log, or null when the log never mentions the child. */
export async function exportChild(store: EventStore, childId: string, now: Date): Promise<ChildRecordExport | null> {
  const childStream = `child-${childId}`;
  const child: ExportedEvent[] = [];
  const units: ExportedEvent[] = [];
  const referralEvents = new Map<string, ExportedEvent[]>();
  const referralsOfChild = new Set<string>();
  // One pass in log order: a referral's first event (ReferralReceived) names the child before any later event of that
  // stream.
  for await (const event of everyEvent(store, PAGE)) {
    if (event.streamId === childStream) child.push(exported(event));
    else if (event.streamId.startsWith('referral-')) {
      const referralId = event.streamId.slice('referral-'.length);
      if (event.type === 'ReferralReceived' && namesChild(event.data, childId)) referralsOfChild.add(referralId);
      if (referralsOfChild.has(referralId))
        referralEvents.set(referralId, [...(referralEvents.get(referralId) ?? []), exported(event)]);
    } else if (UNIT_STREAM.test(event.streamId) && namesChild(event.data, childId)) units.push(exported(event));
  }
  const referrals = Object.fromEntries(referralEvents);
  const eventCount = child.length + units.length + Object.values(referrals).reduce((n, list) => n + list.length, 0);
  if (eventCount === 0) return null;
  const head = await store.headPosition();
  return {
    subjectAccessExport: { childId, generatedAt: now.toISOString(), storeHeadPosition: head.toString(), eventCount },
    child,
    referrals,
    units,
  };
}

/**
 * `export-child <id> [--db <file>] [--out <file>] [--access-log <file>] [--operator <id>]`: one child's
 * full record for a subject access request. The read is recorded in the access log before anything is output.
 */
export function register(program: Command): void {
  const command = program
    .command('export-child')
    .description(
      "Export one child's full record (own events, referrals, unit events naming the child) as JSON, for a subject " +
        'access request',
    )
    .argument('<childId>', 'the child id used in the record')
    .option('--db <file>', 'the sqlite event store file', process.env['SQLITE_PATH'] ?? './data/events.db')
    .option(
      '--out <file>',
      'write the JSON here (created with owner-only permissions, never overwritten) instead of standard output',
    )
    .action(async (childId: string, options: { db: string; out?: string } & AccessLogOptions) => {
      process.exitCode = await run(childId, options.db, options.out, options);
    });
  withAccessLogOptions(command);
}

async function run(childId: string, db: string, out: string | undefined, access: AccessLogOptions): Promise<number> {
  if (!ID_PATTERN.test(childId)) {
    process.stderr.write('export-child: the child id must be 1–64 letters, digits, _ or -\n');
    return EXPORT_FAILED;
  }
  if (!existsSync(db)) {
    process.stderr.write(`export-child: no event store at ${db} (the file does not exist)\n`);
    return EXPORT_FAILED;
  }
  let record: ChildRecordExport | null;
  try {
    const store = await openSqliteEventStore({ path: db, readonly: true });
    try {
      record = await exportChild(store, childId, new Date());
    } finally {
      await store.close();
    }
  } catch (error) {
    process.stderr.write(`export-child: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXPORT_FAILED;
  }
  if (record === null) {
    process.stderr.write(`export-child: the record has no child ${childId}\n`);
    return CHILD_NOT_FOUND;
  }
  const notRecorded = recordCliRead(
    db,
    access,
    'export-child',
    [childId],
    new Date(record.subjectAccessExport.generatedAt),
  );
  if (notRecorded !== null) {
    process.stderr.write(`export-child: ${notRecorded}\n`);
    return EXPORT_FAILED;
  }
  const text = `${JSON.stringify(record, null, 2)}\n`;
  if (out === undefined) {
    process.stdout.write(text);
    return EXPORTED;
  }
  try {
    // 'wx': an earlier export (or any other file) is never overwritten; 0o600: the file holds a child's data.
    writeFileSync(out, text, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      `export-child: cannot write ` +
        `${out}${code === 'EEXIST' ? ' (the file exists; choose a new name)' : code ? ` (${code})` : ''}\n`,
    );
    return EXPORT_FAILED;
  }
  const { eventCount } = record.subjectAccessExport;
  process.stdout.write(
    `exported child ${childId}: ${eventCount} event${eventCount === 1 ? '' : 's'} (${record.child.length} own, ` +
      `${Object.keys(record.referrals).length} referral(s), ${record.units.length} unit) to ${out}\n`,
  );
  return EXPORTED;
}
