import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@placement/domain';
import type { EventStore, VerifyResult } from '@placement/event-store';
import {
  readBedAudit,
  readChildAudit,
  readReferralAudit,
  type AsOfOptions,
  type BedAudit,
  type ChildAudit,
  type ReferralAudit,
} from '@placement/projections';
import type { AccessLog, AccessVerifyResult } from '../access/access-log';
import { ACCESS_LOG } from '../access/child-record-access';
import { ProjectionsService } from '../projections/projections.service';
import { EVENT_STORE } from '../store/store.module';
import { HEAD_PATTERN } from './audit.dto';

export class GetChildAuditQuery {
  constructor(
    readonly childId: string,
    readonly asOf: string | null,
  ) {}
}
export class GetReferralAuditQuery {
  constructor(
    readonly referralId: string,
    readonly asOf: string | null,
  ) {}
}
export class GetBedAuditQuery {
  constructor(
    readonly settingId: string,
    readonly bedId: string,
    readonly asOf: string | null,
    /** The night to read the diary for; null: the London date of asOf. */
    readonly on: string | null = null,
  ) {}
}
export class VerifyLogQuery {
  constructor(
    readonly head: string | null,
    readonly accessHead: string | null = null,
  ) {}
}

const when = (asOf: string | null): string => (asOf === null ? 'now' : `as of ${asOf}`);

function found<T>(audit: T | null, what: string, asOf: string | null): T {
  if (audit === null) throw new DomainError('NOT_FOUND', `${what} had no record ${when(asOf)}`);
  return audit;
}

/**
 * Audits show the log's own events, exactly as recorded. Which events make a child's or a
 * referral's history comes from the audit index (a read model); what it has not applied yet is
 * taken from the log after its checkpoint, so a history is never behind the log, and a log that
 * changed under the index is scanned whole instead.
 */
abstract class IndexedHistoryHandler {
  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  /** How a history is read as of `asOf`: with the audit index's help. */
  protected asOf(asOf: string | null): AsOfOptions {
    return { asOf, index: this.projections.readModels };
  }
}

@QueryHandler(GetChildAuditQuery)
export class GetChildAuditHandler
  extends IndexedHistoryHandler
  implements IQueryHandler<GetChildAuditQuery, ChildAudit>
{
  async execute({ childId, asOf }: GetChildAuditQuery): Promise<ChildAudit> {
    return found(await readChildAudit(this.store, childId, this.asOf(asOf)), `child ${childId}`, asOf);
  }
}

@QueryHandler(GetReferralAuditQuery)
export class GetReferralAuditHandler
  extends IndexedHistoryHandler
  implements IQueryHandler<GetReferralAuditQuery, ReferralAudit>
{
  async execute({ referralId, asOf }: GetReferralAuditQuery): Promise<ReferralAudit> {
    return found(await readReferralAudit(this.store, referralId, this.asOf(asOf)), `referral ${referralId}`, asOf);
  }
}

@QueryHandler(GetBedAuditQuery)
export class GetBedAuditHandler implements IQueryHandler<GetBedAuditQuery, BedAudit> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async execute({ settingId, bedId, asOf, on }: GetBedAuditQuery): Promise<BedAudit> {
    return found(await readBedAudit(this.store, settingId, bedId, { asOf, on }), `bed ${settingId}.${bedId}`, asOf);
  }
}

/** The access log's chain: its head as `<seq>:<hash>` to record, or the first broken entry. */
export type AccessLogReport =
  | { readonly ok: true; readonly entries: number; readonly head: string | null; readonly headChecked: string | null }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly brokenLink: { readonly seq: number; readonly reason: string };
      readonly headChecked: string | null;
    };

export function accessLogReport(result: AccessVerifyResult, headChecked: string | null): AccessLogReport {
  return result.ok
    ? {
        ok: true,
        entries: result.entries,
        head: result.head === null ? null : `${result.head.seq}:${result.head.hash}`,
        headChecked,
      }
    : { ok: false, entries: result.entries, brokenLink: result.brokenLink, headChecked };
}

/**
 * The verify report as JSON: positions as strings (they are 64-bit), and the head as operators
 * record it. `ok` and the fields beside it are the event log's; `accessLog` is the access log's.
 */
export type VerifyReport = (
  | { readonly ok: true; readonly events: number; readonly head: string | null; readonly headChecked: string | null }
  | {
      readonly ok: false;
      readonly events: number;
      readonly brokenLink: {
        readonly chain: 'stream' | 'global';
        readonly streamId: string | null;
        readonly revision: string | null;
        readonly position: string;
        readonly reason: string;
      };
      readonly headChecked: string | null;
    }
) & { readonly accessLog?: AccessLogReport };

export function verifyReport(result: VerifyResult, headChecked: string | null): VerifyReport {
  if (result.ok) {
    return {
      ok: true,
      events: result.events,
      head: result.head === null ? null : `${result.head.position}:${result.head.hash}`,
      headChecked,
    };
  }
  const link = result.brokenLink;
  return {
    ok: false,
    events: result.events,
    brokenLink: {
      chain: link.chain,
      streamId: link.streamId ?? null,
      revision: link.revision === undefined ? null : link.revision.toString(),
      position: link.position.toString(),
      reason: link.reason,
    },
    headChecked,
  };
}

@QueryHandler(VerifyLogQuery)
export class VerifyLogHandler implements IQueryHandler<VerifyLogQuery, VerifyReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCESS_LOG) private readonly accessLog: AccessLog,
  ) {}
  async execute({ head, accessHead }: VerifyLogQuery): Promise<VerifyReport> {
    const match = head === null ? null : HEAD_PATTERN.exec(head);
    const expectedHead = match === null ? undefined : { position: BigInt(match[1]), hash: match[2].toLowerCase() };
    const result = await this.store.verify(expectedHead === undefined ? {} : { expectedHead });
    const access = accessHead === null ? null : HEAD_PATTERN.exec(accessHead);
    const expectedAccessHead = access === null ? undefined : { seq: Number(access[1]), hash: access[2].toLowerCase() };
    return {
      ...verifyReport(result, expectedHead === undefined ? null : `${expectedHead.position}:${expectedHead.hash}`),
      accessLog: accessLogReport(
        this.accessLog.verify({ expectedHead: expectedAccessHead }),
        expectedAccessHead === undefined ? null : `${expectedAccessHead.seq}:${expectedAccessHead.hash}`,
      ),
    };
  }
}
