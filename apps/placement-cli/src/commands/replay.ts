import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChildState, ReferralState } from '@placement/domain';
import { openSqliteEventStore, type EventStore } from '@placement/event-store';
import { recordCliRead, withAccessLogOptions, type AccessLogOptions } from './access-log';
import {
  openReadModelDb,
  parseAsOf,
  readBedAudit,
  readChildAudit,
  readReferralAudit,
  unitWords,
  type AuditEntry,
  type BedAudit,
  type AuditHistory,
  type ReadModelDb,
} from '@placement/projections';

/**
 * Exit codes: 0 printed, 1 nothing was on record for it at that instant, 2 the file could not be read or the arguments
 * are wrong.
 */
export const REPLAY_PRINTED = 0;
export const REPLAY_NOT_ON_RECORD = 1;
export const REPLAY_UNREADABLE = 2;

interface ReplayOptions extends AccessLogOptions {
  db: string;
  readModels?: string;
  child?: string;
  referral?: string;
  bed?: { settingId: string; bedId: string };
  asOf?: string;
  format: 'json' | 'text';
}

type AnyAudit = AuditHistory<ChildState> | AuditHistory<ReferralState> | BedAudit;

export function register(program: Command): void {
  const command = program
    .command('replay')
    .description(
      "Print a child's (or a referral's or bed's) decision history and state exactly as the record stood at an " +
        'instant.',
    )
    .option('--child <id>', 'the child whose history to replay')
    .option('--referral <id>', 'or a referral')
    .option('--bed <settingId.bedId>', 'or a bed', parseBed)
    .option(
      '--as-of <iso>',
      'an ISO-8601 instant with a zone; events recorded later are invisible even if back-dated (default: now)',
      parseInstant,
    )
    .option('--db <file>', 'the sqlite event store file', './data/events.db')
    .option(
      '--read-models <file>',
      "the read-model file whose audit index lists each child's and referral's events " +
        '(default: read-models.db beside --db; without one the whole log is read)',
    )
    .addOption(
      new Option('--format <format>', 'json, or text for a readable listing').choices(['json', 'text']).default('json'),
    )
    .action(async (options: ReplayOptions) => {
      process.exitCode = await replay(options);
    });
  withAccessLogOptions(command);
}

function parseInstant(value: string): string {
  const instant = parseAsOf(value);
  if (instant === null)
    throw new InvalidArgumentError('expected an ISO-8601 instant with a zone, such as 2026-03-07T12:00:00Z');
  return instant;
}

function parseBed(value: string): { settingId: string; bedId: string } {
  const match = /^([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z0-9][A-Za-z0-9_-]*)$/.exec(value);
  if (match === null) throw new InvalidArgumentError('expected <settingId>.<bedId>, such as oak.b3');
  return { settingId: match[1], bedId: match[2] };
}

async function read(
  store: EventStore,
  index: ReadModelDb | null,
  options: ReplayOptions,
): Promise<{ label: string; audit: AnyAudit | null }> {
  const asOf = { asOf: options.asOf ?? null, index };
  if (options.child !== undefined)
    return { label: `child ${options.child}`, audit: await readChildAudit(store, options.child, asOf) };
  if (options.referral !== undefined)
    return { label: `referral ${options.referral}`, audit: await readReferralAudit(store, options.referral, asOf) };
  const bed = options.bed as { settingId: string; bedId: string };
  return {
    label: `bed ${bed.settingId}.${bed.bedId}`,
    audit: await readBedAudit(store, bed.settingId, bed.bedId, asOf),
  };
}

async function replay(options: ReplayOptions): Promise<number> {
  const subjects = [options.child, options.referral, options.bed].filter((s) => s !== undefined).length;
  if (subjects !== 1) {
    process.stderr.write('replay: name exactly one of --child, --referral or --bed\n');
    return REPLAY_UNREADABLE;
  }
  if (!existsSync(options.db)) {
    process.stderr.write(`replay: no event store at ${options.db} (the file does not exist)\n`);
    return REPLAY_UNREADABLE;
  }
  // The API's read models beside the log, unless named: their audit index spares reading the whole log.
  const readModels = options.readModels ?? join(dirname(options.db), 'read-models.db');
  if (options.readModels !== undefined && !existsSync(readModels)) {
    process.stderr.write(`replay: no read-model file at ${readModels} (the file does not exist)\n`);
    return REPLAY_UNREADABLE;
  }
  let result: { label: string; audit: AnyAudit | null };
  try {
    // Read-only: a replay never changes the record it reads, nor the read models.
    const store = await openSqliteEventStore({ path: options.db, readonly: true });
    const index = existsSync(readModels) ? openReadModelDb({ path: readModels, readonly: true }) : null;
    try {
      result = await read(store, index, options);
    } finally {
      index?.close();
      await store.close();
    }
  } catch (error) {
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    return REPLAY_UNREADABLE;
  }
  if (result.audit === null) {
    process.stderr.write(
      `replay: ${result.label} had no record ${options.asOf ? `as of ${options.asOf}` : 'in this log'}\n`,
    );
    return REPLAY_NOT_ON_RECORD;
  }
  // A child's or a referral's history is the child's record: the read is recorded before it is printed.
  const childId = childOf(result.audit);
  if (childId !== null) {
    const notRecorded = recordCliRead(options.db, options, 'replay', [childId], new Date());
    if (notRecorded !== null) {
      process.stderr.write(`replay: ${notRecorded}\n`);
      return REPLAY_UNREADABLE;
    }
  }
  process.stdout.write(
    options.format === 'text' ? asText(result.label, result.audit) : `${JSON.stringify(result.audit, null, 2)}\n`,
  );
  return REPLAY_PRINTED;
}

/** The child whose record a history is: the child's own, or a referral's child; null for a bed. */
function childOf(audit: AnyAudit): string | null {
  if (audit.subject.kind === 'child') return audit.subject.childId;
  if (audit.subject.kind === 'referral') {
    const state = audit.state as ReferralState;
    return state.status === 'NotReceived' ? null : state.referral.childId;
  }
  return null;
}

function stateLines(audit: AnyAudit): string[] {
  const state = audit.state;
  if (audit.subject.kind === 'child') {
    const child = state as ChildState;
    if (child.status !== 'Registered') return [`State: ${child.status}`];
    const placements = child.child.placements.map(
      (p) =>
        `  ${p.placementId}: ${unitWords(p.unit)}, ${p.place}, from ` +
        `${p.startDate}${p.endDate ? ` to ${p.endDate}` : ' (open)'}`,
    );
    const stepDowns = child.child.stepDowns.map(
      (s) => `  step-down ${s.stepDownId} to foster household ${s.toHouseholdId}: ${s.status}`,
    );
    return [
      `State: registered, legal status ${child.child.legalStatus ?? 'none'}`,
      `Placements:${placements.length ? '' : ' none'}`,
      ...placements,
      ...stepDowns,
    ];
  }
  if ('night' in audit && audit.night !== null) {
    const { night, on } = audit;
    const held = night.status === 'Occupied' ? ` by placement ${night.occupant.placementId}` : '';
    const next = night.next ? `; next: ${night.next.change} on ${night.next.date}` : '';
    return [`State on the night of ${on ?? ''}: ${night.status}${held}${next}`];
  }
  return [`State: ${state.status}`];
}

function tableLine(entry: AuditEntry): string | null {
  const table = entry.optionsOnTable;
  if (table === null || entry.type === 'MatchesProposed') return null;
  const ranked = table.options.map((o) => `${o.rank}. ${unitWords(o.unit)} (${o.score})`).join('; ');
  return (
    `Options on the table: proposal of ${table.proposedAt}, engine ${table.engineVersion}, inputs ` +
    `${table.inputsHash}: ${ranked || 'none ranked'}; ${table.excluded.length} excluded`
  );
}

/** A listing an auditor can read at the terminal: when, who, what, and why. */
export function asText(label: string, audit: AnyAudit): string {
  const lines = [
    `Decision history of ${label} ${audit.asOf ? `as the record stood at ${audit.asOf}` : 'as it stands'}`,
    ...stateLines(audit),
    '',
  ];
  for (const entry of audit.entries) {
    const who = entry.bySystem
      ? `system (${entry.bySystem.kind}) for ${entry.actor.id}`
      : `${entry.actor.id} (${entry.actor.role})`;
    const dated = entry.backDated ? `  [back-dated to ${entry.effectiveAt ?? entry.businessDate}]` : '';
    lines.push(`${entry.recordedAt}  ${who}  ${entry.decision}${dated}`);
    for (const reason of entry.reasons) lines.push(`    - ${reason}`);
    const table = tableLine(entry);
    if (table) lines.push(`    - ${table}`);
  }
  return `${lines.join('\n')}\n`;
}
