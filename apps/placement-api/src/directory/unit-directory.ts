import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import { upcast, type DomainEvent, type UnitRef } from '@placement/domain';
import { LogTail } from '../store/log-tail';
import { fieldsOf, fitsFieldsOf } from '../store/readers-snapshot';
import { EVENT_STORE, LOG_TAIL } from '../store/store.module';

/** The directory's fields that are not what it folded from the log. */
const NOT_STATE = ['tail'];

export interface PlacementEntry {
  childId: string;
  unit: UnitRef;
  /** Other children whose records carry the same placement id (recorded before ids were checked). */
  alsoRecordedFor: string[];
}

export interface ReferralEntry {
  childId: string;
  /** Not closed or withdrawn on its own stream. */
  open: boolean;
  /** A placement on a child's record names this referral. */
  placedUnder: boolean;
}

/**
 * The command side's lookups that no single stream answers: which beds a setting has,
 * which child a placement, step-down or referral belongs to, which referral a meeting,
 * and on which stream a command id was first recorded. An in-memory projection of $all, read
 * through the LogTail it shares with the matching capacity; a handler first waits until it
 * has seen the store's head, so it never reads a stale answer.
 * Invariants are still decided on the streams themselves with exact expected revisions.
 */
@Injectable()
export class UnitDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly bedsBySetting = new Map<string, Set<string>>();
  private readonly placements = new Map<string, PlacementEntry>();
  private readonly stepDowns = new Map<string, string>();
  private readonly meetings = new Map<string, string>();
  private readonly referrals = new Map<string, ReferralEntry>();
  /** Command id → the stream of its first event; only commands whose events carry a request digest. */
  private readonly commands = new Map<string, string>();
  /** Referral id → the beds ever held for it (`settingId`, `bedId`); each bed's stream says whether it still is. */
  private readonly heldBeds = new Map<string, Map<string, { settingId: string; bedId: string }>>();
  private readonly households = new Set<string>();
  /**
   * Units a child ever held or took (beds by `settingId.bedId`): only these can have a hold or
   * a resident, so only these are loaded by a reconciliation pass, however large the estate.
   */
  private readonly bedsTaken = new Map<string, { settingId: string; bedId: string }>();
  private readonly householdsTaken = new Set<string>();
  private readonly contracts = new Set<string>();
  /** The last event applied, as the log holds it (null: none yet), so a checkpoint can stand on it. */
  private last: Pick<RecordedEvent, 'position' | 'streamId' | 'revision' | 'hash'> | null = null;
  private readonly tail: LogTail;

  /** @param tail the app's shared tail; without one (on its own, in a test) it reads the log itself */
  constructor(@Inject(EVENT_STORE) store: EventStore, @Optional() @Inject(LOG_TAIL) tail?: LogTail) {
    this.tail = tail ?? new LogTail(store, UnitDirectory.name);
    this.tail.follow((event) => this.apply(event), {
      name: UnitDirectory.name,
      code: String(UnitDirectory),
      // Every field but the tail: a lookup added later is in the snapshot without naming it here.
      save: () => fieldsOf(this, NOT_STATE),
      fits: (state) => fitsFieldsOf(this, NOT_STATE, state),
      restore: (state) => Object.assign(this, state),
    });
  }

  onModuleInit(): void {
    this.tail.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.tail.stop();
  }

  /**
   * Resolves once every event committed before this call has been applied (what the
   * subscription has not delivered yet is read at once).
   */
  caughtUp(): Promise<void> {
    return this.tail.caughtUp();
  }

  /** The position of the last event read (-1n: none yet). */
  get position(): bigint {
    return this.tail.position;
  }

  /** The last event applied (null: none yet, or the directory began past it): at `position` when caught up. */
  get lastEvent(): Pick<RecordedEvent, 'position' | 'streamId' | 'revision' | 'hash'> | null {
    return this.last;
  }

  bedsOf(settingId: string): string[] {
    return [...(this.bedsBySetting.get(settingId) ?? [])].sort();
  }

  settingIds(): string[] {
    return [...this.bedsBySetting.keys()].sort();
  }

  householdIds(): string[] {
    return [...this.households].sort();
  }

  /** The beds ever held or occupied, by setting then bed: every other bed is empty and unheld. */
  bedsEverTaken(): { settingId: string; bedId: string }[] {
    return [...this.bedsTaken.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, bed]) => bed);
  }

  /** The households a child was ever placed with: every other household has no one placed. */
  householdsEverTaken(): string[] {
    return [...this.householdsTaken].sort();
  }

  contractIds(): string[] {
    return [...this.contracts].sort();
  }

  placement(placementId: string): PlacementEntry | undefined {
    return this.placements.get(placementId);
  }

  childOfStepDown(stepDownId: string): string | undefined {
    return this.stepDowns.get(stepDownId);
  }

  referralOfMeeting(meetingId: string): string | undefined {
    return this.meetings.get(meetingId);
  }

  referral(referralId: string): ReferralEntry | undefined {
    return this.referrals.get(referralId);
  }

  /** The beds ever held for a referral, in the order first held. */
  bedsHeldFor(referralId: string): { settingId: string; bedId: string }[] {
    return [...(this.heldBeds.get(referralId)?.values() ?? [])];
  }

  /** Referrals still open on their own stream although a placement was made under them. */
  openReferralsPlacedUnder(): { referralId: string; childId: string }[] {
    return [...this.referrals.entries()]
      .filter(([, r]) => r.open && r.placedUnder)
      .map(([referralId, r]) => ({ referralId, childId: r.childId }))
      .sort((a, b) => a.referralId.localeCompare(b.referralId));
  }

  /** The stream a command id first wrote to (for commands recorded with a request digest). */
  streamOfCommand(commandId: string): string | undefined {
    return this.commands.get(commandId);
  }

  private apply(recorded: RecordedEvent): void {
    const event = upcast<DomainEvent>(recorded);
    switch (event.type) {
      case 'SettingRegistered':
        if (!this.bedsBySetting.has(event.data.settingId)) this.bedsBySetting.set(event.data.settingId, new Set());
        break;
      case 'BedAdded': {
        const { settingId, bedId } = event.data;
        const beds = this.bedsBySetting.get(settingId) ?? new Set<string>();
        beds.add(bedId);
        this.bedsBySetting.set(settingId, beds);
        break;
      }
      case 'BedHeld': {
        const { referralId, settingId, bedId } = event.data;
        const beds = this.heldBeds.get(referralId) ?? new Map<string, { settingId: string; bedId: string }>();
        beds.set(`${settingId}.${bedId}`, { settingId, bedId });
        this.heldBeds.set(referralId, beds);
        this.bedsTaken.set(`${settingId}.${bedId}`, { settingId, bedId });
        break;
      }
      case 'BedOccupied': {
        const { settingId, bedId } = event.data;
        this.bedsTaken.set(`${settingId}.${bedId}`, { settingId, bedId });
        break;
      }
      case 'FosterHouseholdApproved':
        this.households.add(event.data.householdId);
        break;
      case 'ChildPlacedWithHousehold':
        this.householdsTaken.add(event.data.householdId);
        break;
      case 'BlockBookingContracted':
        this.contracts.add(event.data.contractId);
        break;
      case 'PlacementStarted': {
        const { placementId, childId, unit, referralId } = event.data;
        const known = this.placements.get(placementId);
        if (known === undefined) this.placements.set(placementId, { childId, unit, alsoRecordedFor: [] });
        else if (known.childId !== childId && !known.alsoRecordedFor.includes(childId))
          known.alsoRecordedFor.push(childId);
        const referral = referralId === null ? undefined : this.referrals.get(referralId);
        if (referral) referral.placedUnder = true;
        break;
      }
      case 'StepDownPlanned':
        if (!this.stepDowns.has(event.data.stepDownId)) this.stepDowns.set(event.data.stepDownId, event.data.childId);
        break;
      case 'ReferralReceived':
        if (!this.referrals.has(event.data.referralId))
          this.referrals.set(event.data.referralId, { childId: event.data.childId, open: true, placedUnder: false });
        break;
      case 'ReferralClosed':
      case 'ReferralWithdrawn': {
        const referral = this.referrals.get(event.data.referralId);
        if (referral) referral.open = false;
        break;
      }
      case 'MatchingMeetingHeld':
        if (!this.meetings.has(event.data.meetingId)) this.meetings.set(event.data.meetingId, event.data.referralId);
        break;
      default:
        break;
    }
    if (recorded.metadata.commandDigest !== undefined && !this.commands.has(recorded.metadata.commandId))
      this.commands.set(recorded.metadata.commandId, recorded.streamId);
    const { position, streamId, revision, hash } = recorded;
    this.last = { position, streamId, revision, hash };
  }
}
