import type { MessageEvent } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type {
  AlertPage,
  CapacityView,
  ChildAudit,
  ReferralPage,
  SettingPage,
  StepDownPage,
  SufficiencyTrends,
  UtilisationReport,
} from '@placement/projections';
import type { SettingDiaryIn } from './homes/diary-grid';
import type {
  BedDay,
  BedIdentity,
  BedState,
  BusinessDate,
  ReferralState,
  SettingState,
  UnitRef,
} from '@placement/domain';

/** The four roles, spelled as the HTTP API spells them. */
export type ViewerRole = 'placement-officer' | 'residential-manager' | 'auditor' | 'admin';

/** Who is signed in: the same shape the API gives an authenticated bearer. */
export interface Viewer {
  readonly id: string;
  readonly role: ViewerRole;
  /** A residential manager's homes; empty for the other roles. */
  readonly settingIds: readonly string[];
}

/**
 * A page's request once the session is checked: the signed-in person rides on it as `actor`,
 * where the API's own routes keep the bearer's actor, so the access log records the page's route.
 */
export interface BoardRequest extends Request {
  actor?: Viewer;
  /** The position of this person's latest write: reads of read models wait until they have applied it. */
  minPosition?: string;
}

/** A refusal as the API would answer it (RFC 9457), for the page to say in plain English. */
export interface BoardProblem {
  readonly status: number;
  readonly title: string;
  /** The rule's stable code (MATCHING_REQUIRED, BED_NOT_VACANT, ID_IN_USE, …) when a rule refused. */
  readonly code?: string;
  readonly detail?: string;
  /** Each field that failed validation, with the rule it broke. */
  readonly errors?: readonly { readonly field: string; readonly rule: string; readonly message: string }[];
  /** EXCLUDED_BY_MATCHING: the binding exclusion codes no override covers. */
  readonly exclusions?: readonly string[];
}

/** Thrown by the port when the API refuses: the page shows it in the GOV.UK error summary. */
export class BoardRefusal extends Error {
  constructor(readonly problem: BoardProblem) {
    super(problem.detail ?? problem.title);
    this.name = 'BoardRefusal';
  }
}

/** The answer to a command: what the API's route answers (`replayed` when it was a retry). */
export interface CommandOutcome {
  readonly replayed?: boolean;
  readonly position?: string;
}

/** A ranked unit with its score breakdown, and an excluded one with its reasons (the matches route). */
export interface MatchesPage {
  readonly referralId: string;
  readonly asAt: string;
  readonly units: number;
  readonly rankedTotal: number;
  readonly excludedTotal: number;
  readonly ranked: readonly {
    readonly rank: number;
    readonly unitId: string;
    readonly unit: UnitRef;
    readonly settingId: string;
    readonly kind: string;
    readonly route: string;
    readonly distanceKm: number | null;
    readonly weeklyCostPence: number;
    readonly score: readonly { readonly criterion: string; readonly explanation: string }[];
    readonly cautions: readonly { readonly code: string; readonly message: string }[];
  }[];
  readonly excluded: readonly {
    readonly unitId: string;
    readonly unit: UnitRef;
    readonly settingId: string;
    readonly kind: string;
    readonly reasons: readonly { readonly code: string; readonly message: string }[];
  }[];
}

/**
 * A home with each bed tonight (`state`: vacant, reserved, held, occupied or out of use, with the
 * next change) and its whole diary (the settings route). In a home a residential manager does not
 * keep, both say which beds are taken, not by whom: no child, referral or placement ids.
 */
export interface HomePage {
  readonly setting: SettingState;
  readonly beds: readonly {
    readonly bedId: string;
    readonly state: BedDay & { readonly bed: BedIdentity; readonly on: BusinessDate };
    readonly diary: BedState;
  }[];
}

/** The verify route's answer: intact with its head, or the first broken link; the access log's beside it. */
export type VerifyPage = (
  | { readonly ok: true; readonly events: number; readonly head: string | null; readonly headChecked: string | null }
  | {
      readonly ok: false;
      readonly events: number;
      readonly brokenLink: { readonly chain: string; readonly position: string; readonly reason: string };
      readonly headChecked: string | null;
    }
) & { readonly accessLog?: { readonly ok: boolean; readonly head?: string | null } };

/** One page of the access log (the auditors' route). */
export interface AccessLogPage {
  readonly entries: readonly {
    readonly seq: number;
    readonly at: string;
    readonly actorId: string;
    readonly role: string;
    readonly route: string;
    readonly childId: string;
    readonly outcome: string;
  }[];
  readonly next: string | null;
}

/** A form as the page received it, already shaped as the API's request body. */
export type Body = Record<string, unknown>;

/**
 * What the pages need from the engine: the same reads and commands as the HTTP API, each
 * answered by the API's own route handler after the same role check and validation, so a page
 * can never do what the route would refuse. The API wires the adapter (the web imports nothing
 * of the API app); a refusal is thrown as `BoardRefusal`.
 */
export interface BoardPort {
  /** Capacity on a night (London date), tonight when `on` is omitted: every unit read from its diary. */
  capacity(req: BoardRequest, on?: string): Promise<CapacityView>;
  /** Server-sent capacity: `snapshot` on connect, then `delta` after every change. */
  capacityStream(): Observable<MessageEvent>;

  referrals(req: BoardRequest, filter: { status?: string; cursor?: string }): Promise<ReferralPage>;
  referral(req: BoardRequest, referralId: string): Promise<ReferralState>;
  matches(req: BoardRequest, referralId: string): Promise<MatchesPage>;
  hold(req: BoardRequest, referralId: string, body: Body): Promise<CommandOutcome>;
  recordMeeting(req: BoardRequest, referralId: string, body: Body): Promise<CommandOutcome>;
  place(req: BoardRequest, body: Body): Promise<CommandOutcome>;

  homes(req: BoardRequest): Promise<SettingPage>;
  home(req: BoardRequest, settingId: string): Promise<HomePage>;
  /** A home's beds and their bookings over from–to (both nights included), as the diary route answers. */
  settingDiary(req: BoardRequest, settingId: string, from: string, to: string): Promise<SettingDiaryIn>;
  outOfUse(req: BoardRequest, settingId: string, bedId: string, body: Body): Promise<CommandOutcome>;
  backInUse(req: BoardRequest, settingId: string, bedId: string, body: Body): Promise<CommandOutcome>;
  stepDowns(req: BoardRequest, filter: { status?: string }): Promise<StepDownPage>;
  planStepDown(req: BoardRequest, body: Body): Promise<CommandOutcome>;
  recordMilestone(req: BoardRequest, stepDownId: string, body: Body): Promise<CommandOutcome>;
  completeStepDown(req: BoardRequest, stepDownId: string, body: Body): Promise<CommandOutcome>;

  /** The person's work queue as the alerts route lists it for their role: oldest situation first, a page at a time. */
  alerts(req: BoardRequest, cursor?: string): Promise<AlertPage>;

  childTimeline(req: BoardRequest, childId: string, asOf: string | undefined): Promise<ChildAudit>;
  verify(req: BoardRequest): Promise<VerifyPage>;
  accessLog(req: BoardRequest, query: { childId?: string; cursor?: string }): Promise<AccessLogPage>;
  ssda903Episodes(req: BoardRequest, year: string): Promise<{ filename: string; csv: string }>;

  utilisation(req: BoardRequest, from: string, to: string): Promise<UtilisationReport>;
  trends(req: BoardRequest, months: number): Promise<SufficiencyTrends>;

  /** Today's business date (Europe/London) on the engine's clock. */
  today(): string;
  /** Now on the engine's clock. */
  now(): Date;
}

export const BOARD_PORT = Symbol('BOARD_PORT');
