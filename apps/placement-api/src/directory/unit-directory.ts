import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '@placement/event-store';
import type { UnitRef } from '@placement/domain';
import { Subscription } from 'rxjs';
import { EVENT_STORE } from '../store/store.module';

export interface PlacementEntry {
  childId: string;
  unit: UnitRef;
}

/**
 * The command side's lookups that no single stream answers: which beds a setting has,
 * which child a placement or step-down belongs to. An in-memory projection of $all; a
 * handler first waits until it has seen the store's head, so it never reads a stale answer.
 * Invariants are still decided on the streams themselves with exact expected revisions.
 */
@Injectable()
export class UnitDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UnitDirectory.name);
  private readonly bedsBySetting = new Map<string, Set<string>>();
  private readonly placements = new Map<string, PlacementEntry>();
  private readonly stepDowns = new Map<string, string>();
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

  /** Resolves once every event committed before this call has been applied. */
  async caughtUp(): Promise<void> {
    const head = await this.store.headPosition();
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
      case 'FosterHouseholdApproved':
        this.households.add(String(data['householdId']));
        break;
      case 'BlockBookingContracted':
        this.contracts.add(String(data['contractId']));
        break;
      case 'PlacementStarted':
        this.placements.set(String(data['placementId']), {
          childId: String(data['childId']),
          unit: data['unit'] as UnitRef,
        });
        break;
      case 'StepDownPlanned':
        this.stepDowns.set(String(data['stepDownId']), String(data['childId']));
        break;
      default:
        break;
    }
    this.position = event.position;
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.position <= this.position);
      this.waiters = this.waiters.filter((w) => w.position > this.position);
      for (const w of ready) w.resolve();
    }
  }
}
