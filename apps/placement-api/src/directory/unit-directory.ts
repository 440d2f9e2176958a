import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import type { UnitRef } from '@placement/domain';
import { Subscription } from 'rxjs';
import { EVENT_STORE } from '../store/store.module';

/** Events read at a time when a lookup catches the directory up itself. */
const CATCH_UP_PAGE = 1000;

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
 * and on which stream a command id was first recorded. An in-memory projection of $all; a
 * handler first waits until it has seen the store's head, so it never reads a stale answer.
 * Invariants are still decided on the streams themselves with exact expected revisions.
 */
@Injectable()
export class UnitDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UnitDirectory.name);
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
  private readonly contracts = new Set<string>();
  private position = -1n;
  private subscription?: Subscription;
  private waiters: { position: bigint; resolve: () => void }[] = [];

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onModuleInit(): void {
    this.subscribe();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * Resolves once every event committed before this call has been applied. What the
   * subscription has not delivered yet (another process's writes wait for its next poll) is
   * read here and applied at once; the subscription skips it when it arrives.
   */
  async caughtUp(): Promise<void> {
    const head = await this.store.headPosition();
    while (this.position < head) {
      const from = this.position;
      const page = await this.store.readAll({ after: from, maxCount: CATCH_UP_PAGE });
      for (const event of page) this.apply(event);
      if (this.position === from) break; // nothing new: leave the rest to the subscription
    }
    if (this.position >= head) return;
    await new Promise<void>((resolve) => this.waiters.push({ position: head, resolve }));
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

  private subscribe(): void {
    this.subscription = this.store.subscribeToAll({ after: this.position }).subscribe({
      next: (event) => this.apply(event),
      error: (error: unknown) => {
        this.logger.error({
          msg: 'directory subscription failed; resubscribing',
          error: error instanceof Error ? error.name : 'unknown',
        });
        setTimeout(() => this.subscribe(), 500).unref();
      },
    });
  }

  private apply(event: RecordedEvent): void {
    // Delivered twice (read by caughtUp, then by the subscription): the first one counts.
    if (event.position <= this.position) return;
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'SettingRegistered':
        if (!this.bedsBySetting.has(String(data['settingId'])))
          this.bedsBySetting.set(String(data['settingId']), new Set());
        break;
      case 'BedAdded': {
        const settingId = String(data['settingId']);
        const beds = this.bedsBySetting.get(settingId) ?? new Set<string>();
        beds.add(String(data['bedId']));
        this.bedsBySetting.set(settingId, beds);
        break;
      }
      case 'BedHeld': {
        const referralId = String(data['referralId']);
        const bed = { settingId: String(data['settingId']), bedId: String(data['bedId']) };
        const beds = this.heldBeds.get(referralId) ?? new Map<string, { settingId: string; bedId: string }>();
        beds.set(`${bed.settingId}.${bed.bedId}`, bed);
        this.heldBeds.set(referralId, beds);
        break;
      }
      case 'FosterHouseholdApproved':
        this.households.add(String(data['householdId']));
        break;
      case 'BlockBookingContracted':
        this.contracts.add(String(data['contractId']));
        break;
      case 'PlacementStarted': {
        const placementId = String(data['placementId']);
        const childId = String(data['childId']);
        const known = this.placements.get(placementId);
        if (known === undefined)
          this.placements.set(placementId, { childId, unit: data['unit'] as UnitRef, alsoRecordedFor: [] });
        else if (known.childId !== childId && !known.alsoRecordedFor.includes(childId))
          known.alsoRecordedFor.push(childId);
        const referral = typeof data['referralId'] === 'string' ? this.referrals.get(data['referralId']) : undefined;
        if (referral) referral.placedUnder = true;
        break;
      }
      case 'StepDownPlanned':
        if (!this.stepDowns.has(String(data['stepDownId'])))
          this.stepDowns.set(String(data['stepDownId']), String(data['childId']));
        break;
      case 'ReferralReceived':
        if (!this.referrals.has(String(data['referralId'])))
          this.referrals.set(String(data['referralId']), {
            childId: String(data['childId']),
            open: true,
            placedUnder: false,
          });
        break;
      case 'ReferralClosed':
      case 'ReferralWithdrawn': {
        const referral = this.referrals.get(String(data['referralId']));
        if (referral) referral.open = false;
        break;
      }
      case 'MatchingMeetingHeld':
        if (!this.meetings.has(String(data['meetingId'])))
          this.meetings.set(String(data['meetingId']), String(data['referralId']));
        break;
      default:
        break;
    }
    if (event.metadata.commandDigest !== undefined && !this.commands.has(event.metadata.commandId))
      this.commands.set(event.metadata.commandId, event.streamId);
    this.position = event.position;
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.position <= this.position);
      this.waiters = this.waiters.filter((w) => w.position > this.position);
      for (const w of ready) w.resolve();
    }
  }
}
