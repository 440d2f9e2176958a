import type http from 'node:http';
import { exhaustive } from '@placement/domain';
import type { Prng } from '@placement/test-support';
import { END_DATE, Estate, placementBody, referralBody, STEP_DOWN_DATE, stepDownBody, Unit } from './estate';
import { ACTOR_OF_TOKEN, NoResponse, request, TOKENS } from './http';
import type { Acknowledgement } from './log-checks';

export type CommandLabel = 'referral' | 'hold' | 'place' | 'end' | 'plan-step-down' | 'complete-step-down';

/** One command as sent; a retry resends exactly this (same body, same Idempotency-Key). */
export interface SentCommand {
  readonly seq: number;
  readonly label: CommandLabel;
  readonly route: string;
  readonly body: unknown;
  readonly idempotencyKey: string | null;
  /** The command id the API records it under (DESIGN §3 idempotency). */
  readonly commandId: string;
  readonly childId: string;
  /** What the client's model becomes if the command is acknowledged. */
  readonly onAck: (child: ChildModel) => void;
}

type Stage = 'referred' | 'placed' | 'planned' | 'done';

export interface ChildModel {
  readonly childId: string;
  readonly referralId: string;
  stage: Stage;
  /** A command for this child is in flight or unanswered: its state is unknown until it is answered. */
  busy: boolean;
  heldBed: { settingId: string; bedId: string } | null;
  placementId: string | null;
  unit: Unit | null;
  stepDownId: string | null;
  stepDownHouseholdId: string | null;
  attempts: number;
}

export interface Tally {
  sent: number;
  acknowledged: number;
  byStatus: Map<number, number>;
  /** Rejections (4xx) by code, for the report. */
  byCode: Map<string, number>;
  /** Answers that break the contract: a 5xx, or a rejection without a code. */
  contractBreaks: string[];
}

export interface SendOutcome {
  outcome: 'acknowledged' | 'rejected' | 'unanswered';
  status: number;
  code: string | null;
}

export function newTally(): Tally {
  return { sent: 0, acknowledged: 0, byStatus: new Map(), byCode: new Map(), contractBreaks: [] };
}

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Sends placements, holds, ends and step-downs with a small client-side model of each child,
 * so most commands are ones the API should accept. It records every acknowledgement and
 * every command that got no answer (to be retried after the restart).
 */
export class CommandDriver {
  readonly children: ChildModel[] = [];
  readonly acknowledged: (Acknowledgement & { command: SentCommand; epoch: number; retried: boolean })[] = [];
  readonly unanswered: SentCommand[] = [];
  /** Why each unanswered command got no answer (reset, refused, timeout…), for the report. */
  readonly noAnswerReasons = new Map<string, number>();
  /** Commands answered 4xx: each must have left nothing standing on the child's record. */
  readonly rejected: { commandId: string; label: string; status: number; code: string | null }[] = [];
  readonly tally = newTally();
  private seq = 0;
  private nextChild = 0;
  private waiters: { done: () => boolean; resolve: () => void }[] = [];

  constructor(
    private readonly prng: Prng,
    private readonly estate: Estate,
    private readonly runId: string,
  ) {}

  private commandId(idempotencyKey: string | null, naturalKey: string): string {
    return idempotencyKey ? `key:${ACTOR_OF_TOKEN[TOKENS.placement]}:${idempotencyKey}` : naturalKey;
  }

  /** Half the commands carry an Idempotency-Key; the rest rely on the natural key of their ids. */
  private build(
    label: CommandLabel,
    child: ChildModel,
    route: string,
    body: unknown,
    naturalKey: string,
    onAck: (c: ChildModel) => void,
  ): SentCommand {
    const seq = ++this.seq;
    const idempotencyKey = this.prng.chance(0.5) ? `${this.runId}-k${seq}` : null;
    return {
      seq,
      label,
      route,
      body,
      idempotencyKey,
      commandId: this.commandId(idempotencyKey, naturalKey),
      childId: child.childId,
      onAck,
    };
  }

  private newChild(): ChildModel {
    const n = ++this.nextChild;
    const child: ChildModel = {
      childId: `${this.runId}-c${n}`,
      referralId: `${this.runId}-r${n}`,
      stage: 'referred',
      busy: false,
      heldBed: null,
      placementId: null,
      unit: null,
      stepDownId: null,
      stepDownHouseholdId: null,
      attempts: 0,
    };
    return child;
  }

  private randomUnit(): Unit {
    if (this.prng.chance(0.55)) {
      const bed = this.prng.pick(this.estate.beds);
      return { kind: 'bed', settingId: bed.settingId, bedId: bed.bedId };
    }
    return { kind: 'household', householdId: this.prng.pick(this.estate.householdIds) };
  }

  /** The next command, chosen from what the model says each idle child can do. */
  next(): { child: ChildModel; command: SentCommand; registersChild: boolean } {
    const idle = this.children.filter((c) => !c.busy && c.stage !== 'done');
    if (idle.length < 6 || this.prng.chance(0.15)) {
      const child = this.newChild();
      const command = this.build(
        'referral',
        child,
        '/v1/referrals',
        referralBody(child.referralId, child.childId),
        `referral:${child.referralId}`,
        () => undefined,
      );
      return { child, command, registersChild: true };
    }
    const child = this.prng.pick(idle);
    return { child, command: this.commandFor(child), registersChild: false };
  }

  private commandFor(child: ChildModel): SentCommand {
    switch (child.stage) {
      case 'referred': {
        if (!child.heldBed && this.prng.chance(0.25)) {
          const bed = this.prng.pick(this.estate.beds);
          const until = new Date(Date.now() + 6 * 3600_000).toISOString();
          const body = { settingId: bed.settingId, bedId: bed.bedId, until };
          return this.build(
            'hold',
            child,
            `/v1/referrals/${child.referralId}/holds`,
            body,
            `hold:${child.referralId}:${bed.settingId}.${bed.bedId}:${until}`,
            (c) => {
              c.heldBed = bed;
            },
          );
        }
        const unit: Unit =
          child.heldBed && this.prng.chance(0.8) ? { kind: 'bed', ...child.heldBed } : this.randomUnit();
        const placementId = `${child.childId}-p${++child.attempts}`;
        return this.build(
          'place',
          child,
          '/v1/placements',
          placementBody(placementId, child.childId, child.referralId, unit),
          `placement:${placementId}`,
          (c) => {
            c.stage = 'placed';
            c.placementId = placementId;
            c.unit = unit;
          },
        );
      }
      case 'placed': {
        const placementId = child.placementId ?? '';
        if (child.unit?.kind === 'bed' && this.prng.chance(0.6)) {
          const stepDownId = `${child.childId}-sd${++child.attempts}`;
          const householdId = this.prng.pick(this.estate.householdIds);
          const body = stepDownBody(stepDownId, child.childId, householdId);
          return this.build('plan-step-down', child, '/v1/step-downs', body, `step-down:${stepDownId}`, (c) => {
            c.stage = 'planned';
            c.stepDownId = stepDownId;
            c.stepDownHouseholdId = householdId;
          });
        }
        return this.build(
          'end',
          child,
          `/v1/placements/${placementId}/end`,
          { endDate: END_DATE, reasonForChange: 'CARPL' },
          `end-placement:${placementId}`,
          (c) => {
            c.stage = 'done';
          },
        );
      }
      case 'planned': {
        const stepDownId = child.stepDownId ?? '';
        const newPlacementId = `${child.childId}-p${++child.attempts}`;
        const body = { newPlacementId, date: STEP_DOWN_DATE, place: 'U4' };
        return this.build(
          'complete-step-down',
          child,
          `/v1/step-downs/${stepDownId}/complete`,
          body,
          `complete-step-down:${stepDownId}`,
          (c) => {
            c.stage = 'placed';
            c.placementId = newPlacementId;
            c.unit = { kind: 'household', householdId: c.stepDownHouseholdId ?? '' };
          },
        );
      }
      case 'done':
        throw new Error('no command for a child whose placements are done');
      default:
        return exhaustive(child.stage);
    }
  }

  /**
   * Resolves once `done()` holds, checked now and after every answer: a test waits for what
   * it needs to have happened (so many acknowledgements, a placement), never for a time.
   */
  until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }

  private answered(): void {
    const ready = this.waiters.filter((w) => w.done());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  /** Sends one command and folds the answer into the model; no answer leaves it unanswered. */
  async send(
    baseUrl: string,
    command: SentCommand,
    epoch: number,
    agent: http.Agent | undefined,
    retried = false,
  ): Promise<SendOutcome> {
    const child = this.children.find((c) => c.childId === command.childId);
    this.tally.sent += 1;
    const headers: Record<string, string> = command.idempotencyKey ? { 'Idempotency-Key': command.idempotencyKey } : {};
    let res;
    try {
      res = await request(baseUrl, 'POST', command.route, {
        token: TOKENS.placement,
        body: command.body,
        headers,
        agent,
      });
    } catch (error) {
      if (!(error instanceof NoResponse)) throw error;
      this.unanswered.push(command);
      this.noAnswerReasons.set(error.reason, (this.noAnswerReasons.get(error.reason) ?? 0) + 1);
      this.answered();
      return { outcome: 'unanswered', status: 0, code: null };
    }
    try {
      return this.fold(command, res, child, epoch, retried);
    } finally {
      this.answered();
    }
  }

  private fold(
    command: SentCommand,
    res: { status: number; body: unknown; contentType: string },
    child: ChildModel | undefined,
    epoch: number,
    retried: boolean,
  ): SendOutcome {
    count(this.tally.byStatus, res.status);
    const body = (res.body ?? {}) as { events?: string[]; replayed?: boolean; code?: string };
    if (res.status >= 200 && res.status < 300) {
      this.tally.acknowledged += 1;
      this.acknowledged.push({
        commandId: command.commandId,
        label: command.label,
        events: body.events ?? [],
        command,
        epoch,
        retried,
      });
      if (child) command.onAck(child);
      if (child) child.busy = false;
      return { outcome: 'acknowledged', status: res.status, code: null };
    }
    this.rejected.push({
      commandId: command.commandId,
      label: command.label,
      status: res.status,
      code: body.code ?? null,
    });
    if (body.code) count(this.tally.byCode, `${command.label} ${res.status} ${body.code}`);
    if (res.status >= 500 || !body.code || !res.contentType.includes('application/problem+json')) {
      this.tally.contractBreaks.push(
        `${command.label} ${command.route} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
      );
    }
    if (child) {
      child.busy = false;
      // A referral refused is a child we never have; drop it from the model.
      if (command.label === 'referral') child.stage = 'done';
      // A step-down refused on completion (e.g. the household filled up) is abandoned by this client.
      if (command.label === 'complete-step-down' || command.label === 'plan-step-down') child.stage = 'placed';
    }
    return { outcome: 'rejected', status: res.status, code: body.code ?? null };
  }

  /**
   * Workers send until `stop()` says so; each waits for its answer before sending again.
   * Several servers share the workers round-robin.
   */
  async drive(
    baseUrls: string | readonly string[],
    epoch: number,
    workers: number,
    stop: () => boolean,
    agent?: http.Agent,
  ): Promise<void> {
    const servers = typeof baseUrls === 'string' ? [baseUrls] : baseUrls;
    const worker = async (index: number) => {
      const baseUrl = servers[index % servers.length];
      while (!stop()) {
        const { child, command, registersChild } = this.next();
        if (registersChild) this.children.push(child);
        child.busy = true;
        const { outcome } = await this.send(baseUrl, command, epoch, agent);
        if (outcome === 'unanswered') return; // the server is gone: this worker is done for this life
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
  }

  /** After a restart: resend every unanswered command exactly as it was first sent. */
  async retryUnanswered(baseUrl: string, epoch: number): Promise<{ command: SentCommand; answer: SendOutcome }[]> {
    const results: { command: SentCommand; answer: SendOutcome }[] = [];
    for (const command of this.unanswered.splice(0)) {
      const answer = await this.send(baseUrl, command, epoch, undefined, true);
      if (answer.outcome === 'unanswered')
        throw new Error(`retry of ${command.label} ${command.commandId} got no answer from a healthy server`);
      results.push({ command, answer });
    }
    return results;
  }
}
