import { Inject, Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { londonDateOf, settingStreamId, exhaustive } from '@placement/domain';
import type { Clock, EventStore } from '@placement/event-store';
import { commandContext } from '../commands/command';
import { RecordHouseholdMembersCommand } from '../households/record-household-members';
import { ContractBlockBookingCommand } from '../contracts/contract-block-booking';
import { ApproveHouseholdCommand } from '../households/approve-household';
import { EndPlacementCommand } from '../placements/end-placement';
import { StartPlacementCommand } from '../placements/start-placement';
import { RecordCareLeaverCommand } from '../children/record-care-leaver';
import { ReceiveReferralCommand } from '../referrals/receive-referral';
import { RecordMatchingMeetingCommand } from '../referrals/record-matching-meeting';
import { RecordStatementOfPurposeCommand } from '../settings/record-statement-of-purpose';
import { AddBedCommand } from '../beds/add-bed';
import { RegisterSettingCommand } from '../settings/register-setting';
import { CLOCK, EVENT_STORE } from '../store/store.module';
import { rotherhamPostcodes } from './reference-data';
import { EstatePlan, rotherhamEstate, SeedStep } from './rotherham-estate';

const SEED_ACTOR = { id: 'seed-rotherham', role: 'admin' as const, settingIds: [] };

/**
 * Writes the demo estate through the same command handlers a person uses, so every seeded
 * fact passed the same invariants. Idempotent: each step's command id is derived from
 * the seed, so seeding twice writes nothing the second time.
 */
@Injectable()
export class Seeder {
  private readonly logger = new Logger(Seeder.name);

  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async isEmpty(): Promise<boolean> {
    return (await this.store.headPosition()) < 0n;
  }

  async seedRotherham(seed = 2023): Promise<EstatePlan['summary'] & { asAt: string }> {
    const today = londonDateOf(this.clock.now());
    let plan = rotherhamEstate(rotherhamPostcodes(), today, seed);
    const asAt = (await this.seededOn(plan, seed)) ?? today;
    if (asAt !== today) plan = rotherhamEstate(rotherhamPostcodes(), asAt, seed);
    for (const [i, step] of plan.steps.entries()) await this.run(step, `seed:${seed}:${i}`);
    this.logger.log({ msg: 'seeded the demo Rotherham estate', asAt, ...plan.summary });
    return { ...plan.summary, asAt };
  }

  /**
   * The estate is dated from the day it is first written; seeded again on a later day it
   * keeps that date, so it sends the very same commands and writes nothing.
   */
  private async seededOn(plan: EstatePlan, seed: number): Promise<string | null> {
    const first = plan.steps[0];
    if (first?.kind !== 'setting') return null;
    const [registered] = await this.store.readStream(settingStreamId(first.body.settingId), { maxCount: 1 });
    return registered?.metadata.commandId === `seed:${seed}:0`
      ? londonDateOf(new Date(registered.metadata.recordedAt))
      : null;
  }

  private run(step: SeedStep, naturalKey: string): Promise<unknown> {
    const ctx = commandContext({ actor: SEED_ACTOR, naturalKey, correlationId: naturalKey, now: this.clock.now() });
    switch (step.kind) {
      case 'setting':
        return this.commands.execute(new RegisterSettingCommand(step.body, ctx));
      case 'bed':
        return this.commands.execute(new AddBedCommand({ ...step.body, settingId: step.settingId }, ctx));
      case 'household':
        return this.commands.execute(new ApproveHouseholdCommand(step.body, ctx));
      case 'contract':
        return this.commands.execute(new ContractBlockBookingCommand(step.body, ctx));
      case 'referral':
        return this.commands.execute(new ReceiveReferralCommand(step.body, ctx));
      case 'meeting':
        return this.commands.execute(
          new RecordMatchingMeetingCommand({ ...step.body, referralId: step.referralId }, ctx),
        );
      case 'placement':
        return this.commands.execute(new StartPlacementCommand(step.body, ctx));
      case 'members':
        return this.commands.execute(
          new RecordHouseholdMembersCommand({ ...step.body, householdId: step.householdId }, ctx),
        );
      case 'statement':
        return this.commands.execute(
          new RecordStatementOfPurposeCommand({ ...step.body, settingId: step.settingId }, ctx),
        );
      case 'end':
        return this.commands.execute(new EndPlacementCommand({ ...step.body, placementId: step.placementId }, ctx));
      case 'care-leaver':
        return this.commands.execute(new RecordCareLeaverCommand({ ...step.body, childId: step.childId }, ctx));
      default:
        return exhaustive(step);
    }
  }
}
