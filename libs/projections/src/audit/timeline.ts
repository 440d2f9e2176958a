import { londonDateOf, sameUnit, exhaustive } from '@placement/domain';
import type { ExcludedOption, MatchesProposed, MatchOption } from '@placement/domain';
import type { RecordedEvent } from '@placement/event-store';
import { asAuditable, describe, unitWords, type ChosenUnit } from './describe';

/** The ranked list a decision was taken from: the referral's latest proposal recorded before it. */
export interface OptionsOnTable {
  readonly proposalEventId: string;
  readonly proposalPosition: string;
  readonly proposedAt: string;
  readonly engineVersion: string;
  readonly inputsHash: string;
  readonly options: readonly MatchOption[];
  readonly excluded: readonly ExcludedOption[];
  /**
   * Where the unit chosen stood in that list: ranked, excluded (with why), or not in it at all;
   * null for the proposal itself.
   */
  readonly chosen:
    | { readonly standing: 'ranked'; readonly rank: number; readonly score: number }
    | { readonly standing: 'excluded'; readonly reasons: readonly string[] }
    | { readonly standing: 'not-listed' }
    | null;
}

/** Who or what wrote an event when it was not a person's own decision. */
export type SystemAction =
  { readonly kind: 'reconciler'; readonly why: string } | { readonly kind: 'compensation'; readonly why: string };

export interface AuditEntry {
  /** Global position in the log: the order in which decisions were committed. */
  readonly position: string;
  readonly streamId: string;
  readonly revision: string;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  /** The business time the writer said the event took effect, when it was back-dated. */
  readonly effectiveAt: string | null;
  /** The business date the event states (start, end, hold or meeting date), when it has one. */
  readonly businessDate: string | null;
  /** The effective time or business date falls on an earlier London day than the day it was recorded. */
  readonly backDated: boolean;
  readonly actor: { readonly id: string; readonly role: string };
  readonly bySystem: SystemAction | null;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly decision: string;
  readonly reasons: readonly string[];
  readonly optionsOnTable: OptionsOnTable | null;
  /**
   * What the decider saw: its own stream's state just before this event (the command also
   * carried facts from other streams, such as the residents a meeting assessed). Null when not supplied.
   */
  readonly stateBefore: unknown;
  /** The event as recorded: exactly what was decided. */
  readonly data: unknown;
}

const SYSTEM_ROLE = 'system';

function systemAction(event: RecordedEvent, compensation: boolean): SystemAction | null {
  if (event.metadata.actor.role === SYSTEM_ROLE) {
    return {
      kind: 'reconciler',
      why: 'Written by the reconciler to repair a placement left half-done by a crash or to clear a lapsed hold',
    };
  }
  if (compensation || event.metadata.commandId.endsWith(':compensate')) {
    return {
      kind: 'compensation',
      why: `Written automatically for ${event.metadata.actor.id}'s command when its second step failed`,
    };
  }
  return null;
}

function chosenStanding(proposal: MatchesProposed['data'], chosen: ChosenUnit | null): OptionsOnTable['chosen'] {
  if (chosen === null) return null;
  const matches = (unit: MatchOption['unit']): boolean =>
    chosen.kind === 'unit' ? sameUnit(unit, chosen.unit) : unit.kind === 'bed' && unit.settingId === chosen.settingId;
  const ranked = proposal.options.find((o) => matches(o.unit));
  if (ranked) return { standing: 'ranked', rank: ranked.rank, score: ranked.score };
  const excluded = proposal.excluded.find((o) => matches(o.unit));
  if (excluded) return { standing: 'excluded', reasons: excluded.reasons };
  return { standing: 'not-listed' };
}

function standingWords(table: OptionsOnTable, chosen: ChosenUnit): string {
  const what = chosen.kind === 'unit' ? unitWords(chosen.unit) : `home ${chosen.settingId}`;
  switch (table.chosen?.standing) {
    case 'ranked':
      return `Chosen: ${what}, ranked ${table.chosen.rank} of ${table.options.length} proposed`;
    case 'excluded':
      return `Chosen: ${what}, which the proposal had excluded (${table.chosen.reasons.join('; ')})`;
    case 'not-listed':
      return `Chosen: ${what}, which was not in the proposal`;
    case undefined:
      return `Chosen: ${what}`;
    default:
      return exhaustive(table.chosen);
  }
}

/**
 * The audit entries for `events`, in commit order. `context` holds further events (proposals
 * on referral streams) used only to find the options on the table, not listed themselves.
 * Both must already be cut to what the record held at the as-of instant.
 */
export function buildTimeline(
  events: readonly RecordedEvent[],
  context: readonly RecordedEvent[] = [],
  statesBefore: ReadonlyMap<string, unknown> = new Map(),
): AuditEntry[] {
  const proposals = new Map<string, RecordedEvent<MatchesProposed['data']>[]>();
  const seen = new Set<string>();
  for (const event of [...events, ...context]) {
    if (event.type !== 'MatchesProposed' || seen.has(event.id)) continue;
    seen.add(event.id);
    const proposal = event as RecordedEvent<MatchesProposed['data']>;
    const list = proposals.get(proposal.data.referralId) ?? [];
    list.push(proposal);
    proposals.set(proposal.data.referralId, list);
  }
  for (const list of proposals.values()) list.sort((a, b) => (a.position < b.position ? -1 : 1));

  const tableFor = (referralId: string, before: bigint, chosen: ChosenUnit | null): OptionsOnTable | null => {
    const earlier = (proposals.get(referralId) ?? []).filter((p) => p.position <= before);
    const latest = earlier[earlier.length - 1];
    if (!latest) return null;
    const d = latest.data;
    return {
      proposalEventId: latest.id,
      proposalPosition: latest.position.toString(),
      proposedAt: latest.metadata.recordedAt,
      engineVersion: d.engineVersion,
      inputsHash: d.inputsHash,
      options: d.options,
      excluded: d.excluded,
      chosen: chosenStanding(d, chosen),
    };
  };

  return [...events]
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))
    .map((event) => entryFor(event, tableFor, statesBefore.get(event.id) ?? null));
}

function entryFor(
  event: RecordedEvent,
  tableFor: (referralId: string, before: bigint, chosen: ChosenUnit | null) => OptionsOnTable | null,
  stateBefore: unknown,
): AuditEntry {
  const auditable = asAuditable(event);
  const words = auditable
    ? describe(auditable)
    : {
        decision: `${event.type} recorded`,
        reasons: [],
        businessDate: null,
        referralId: null,
        chosen: null,
        compensation: false,
      };
  // A proposal shows its own list; a decision, the latest list recorded strictly before it.
  const before = event.type === 'MatchesProposed' ? event.position : event.position - 1n;
  const table = words.referralId === null ? null : tableFor(words.referralId, before, words.chosen);
  const effectiveAt = event.metadata.effectiveAt ?? null;
  const recordedDay = londonDateOf(event.metadata.recordedAt);
  const backDated =
    (effectiveAt !== null && londonDateOf(effectiveAt) < recordedDay) ||
    (words.businessDate !== null && words.businessDate < recordedDay && isDecisionDate(event.type));
  return {
    position: event.position.toString(),
    streamId: event.streamId,
    revision: event.revision.toString(),
    eventId: event.id,
    type: event.type,
    recordedAt: event.metadata.recordedAt,
    effectiveAt,
    businessDate: words.businessDate,
    backDated,
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
    bySystem: systemAction(event, words.compensation),
    commandId: event.metadata.commandId,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    decision: words.decision,
    reasons: table && words.chosen ? [...words.reasons, standingWords(table, words.chosen)] : words.reasons,
    optionsOnTable: table,
    stateBefore,
    data: event.data,
  };
}

/**
 * Dates that say when something happened (a start, an end, a meeting). A referral's wanted
 * start date or a setting's registration date lie in the future or past by nature: not back-dating.
 */
function isDecisionDate(type: string): boolean {
  return ![
    'ReferralReceived',
    'SettingRegistered',
    'FosterHouseholdApproved',
    'BlockBookingContracted',
    'StepDownPlanned',
    'ApprovalTermsChanged',
    'SettingRegistrationChanged',
  ].includes(type);
}
