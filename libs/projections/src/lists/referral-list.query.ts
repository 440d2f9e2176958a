import type { BusinessDate, ChildSex, Urgency } from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import type { ListedMeeting } from './referral-list.projection';
import { inSettings, listPage, type ListScope, type Page, type PageRequest, type Where } from './page';

/** open: waiting; placed: closed with a placement; closed: closed without one; withdrawn. */
export const REFERRAL_STATUSES = ['open', 'placed', 'closed', 'withdrawn'] as const;
export type ReferralListStatus = (typeof REFERRAL_STATUSES)[number];

export interface ReferralListItem {
  readonly referralId: string;
  readonly childId: string;
  readonly status: ReferralListStatus;
  readonly urgency: Urgency;
  readonly startDate: BusinessDate;
  readonly receivedAt: string;
  /** A role and team, never a person. */
  readonly requestedBy: { readonly role: string; readonly team: string };
  /** From the latest needs: what a list needs to tell one child's referral from another's. */
  readonly child: { readonly sex: ChildSex; readonly ageAtStart: number };
  readonly meetings: number;
  readonly latestMeeting: ListedMeeting | null;
  readonly placementId: string | null;
  readonly closedAt: string | null;
  readonly withdrawnReason: string | null;
}

export interface ReferralListFilter {
  readonly status?: ReferralListStatus;
  readonly urgency?: Urgency;
}

interface ReferralRow {
  referral_id: string;
  received_position: number;
  child_id: string;
  urgency: Urgency;
  start_date: string;
  received_at: string;
  requested_by_role: string;
  requested_by_team: string;
  sex: ChildSex;
  age_at_start: number;
  status: ReferralListStatus;
  meetings: number;
  latest_meeting: string | null;
  placement_id: string | null;
  closed_at: string | null;
  withdrawn_reason: string | null;
}

/**
 * Referrals in the order they were received (the longest waiting first). A residential
 * manager sees the referrals considered for the homes they keep: a bed held there or a
 * matching meeting about the home.
 */
export function readReferralList(
  db: ReadModelDb,
  position: bigint,
  options: { readonly filter: ReferralListFilter; readonly scope: ListScope },
  request: PageRequest,
): Page<ReferralListItem> {
  const { filter, scope } = options;
  const where: Where[] = [];
  if (filter.status !== undefined) where.push({ sql: 'r.status = ?', params: [filter.status] });
  if (filter.urgency !== undefined) where.push({ sql: 'r.urgency = ?', params: [filter.urgency] });
  if (scope !== null) {
    const homes = inSettings('h.setting_id', scope.settingIds);
    where.push({
      sql: `r.referral_id IN (SELECT h.referral_id FROM list_referral_homes h WHERE ${homes.sql})`,
      params: homes.params,
    });
  }
  return listPage(
    db,
    position,
    {
      select: 'SELECT r.* FROM list_referrals r',
      where,
      keys: ['r.received_position'],
      keyOf: (row) => [row.received_position],
    },
    request,
    (r: ReferralRow) => ({
      referralId: r.referral_id,
      childId: r.child_id,
      status: r.status,
      urgency: r.urgency,
      startDate: r.start_date,
      receivedAt: r.received_at,
      requestedBy: { role: r.requested_by_role, team: r.requested_by_team },
      child: { sex: r.sex, ageAtStart: r.age_at_start },
      meetings: r.meetings,
      latestMeeting: r.latest_meeting === null ? null : (JSON.parse(r.latest_meeting) as ListedMeeting),
      placementId: r.placement_id,
      closedAt: r.closed_at,
      withdrawnReason: r.withdrawn_reason,
    }),
  );
}
