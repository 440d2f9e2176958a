import {
  addDays,
  emergencyStayOverdue,
  emergencyStayOverdueSince,
  type BusinessDate,
  type EmergencyStayPolicy,
} from '@placement/domain';
import type { ReadModelDb } from '../read-model-db';
import { childrenKnownToHomes } from '../need-to-know/child-homes.query';
import {
  either,
  inIds,
  inSettings,
  listPage,
  type ListScope,
  type Page,
  type PageRequest,
  type Where,
} from '../lists/page';
import type { AlertRule, AlertUnit } from './alerts.projection';

/** One thing that needs someone's attention. Ids, codes and dates only: no names, no dates of birth, no free text. */
export interface AlertItem {
  readonly alertId: string;
  /** The rule's stable code. */
  readonly rule: AlertRule;
  /** The child it is about, if any (a void block-booked bed is about no child). */
  readonly childId: string | null;
  /** The unit it is about, if any (a child with no open placement has none). */
  readonly unit: AlertUnit | null;
  /** Since when it needs attention: a London date, or an instant for a lapsing hold. */
  readonly since: string;
  /** The record to open (relative to this server). */
  readonly link: string;
  readonly placementId: string | null;
  readonly referralId: string | null;
  readonly householdId: string | null;
  readonly stepDownId: string | null;
  readonly milestoneId: string | null;
}

export interface AlertFilter {
  readonly rule?: AlertRule;
  /** Alerts about this home (its beds, the children placed in it, their step-downs and holds). */
  readonly settingId?: string;
  readonly childId?: string;
}

export interface AlertsReadOptions {
  /** The London date and the instant "today" and "now" are decided on (the injected clock). */
  readonly today: BusinessDate;
  readonly now: Date;
  /** The working-day limit of an emergency stay and the bank holidays it skips. */
  readonly emergencyStay: EmergencyStayPolicy;
  readonly filter: AlertFilter;
  readonly scope: ListScope;
}

interface AlertRowDb {
  alert_id: string;
  rule: AlertRule;
  arose: string;
  since: string | null;
  start_date: string | null;
  child_id: string | null;
  unit: string | null;
  placement_id: string | null;
  referral_id: string | null;
  household_id: string | null;
  step_down_id: string | null;
  milestone_id: string | null;
  link: string;
}

/**
 * The latest start date of an emergency stay that is past the limit on `today`: stays are
 * monotone (an earlier start is overdue sooner), so one bound selects them all in SQL.
 */
export function latestOverdueStart(today: BusinessDate, policy: EmergencyStayPolicy): BusinessDate {
  let start = addDays(today, -1);
  while (!emergencyStayOverdue(start, today, policy)) start = addDays(start, -1);
  return start;
}

/**
 * The alerts due on `today` (and at `now`), oldest situation first. A residential manager sees
 * the alerts about the homes they keep and about the children known to those homes.
 */
export function readAlerts(
  db: ReadModelDb,
  position: bigint,
  options: AlertsReadOptions,
  request: PageRequest,
): Page<AlertItem> {
  const { today, now, emergencyStay, filter, scope } = options;
  const where: Where[] = [
    {
      sql: `((a.condition = 'date' AND a.due_date <= ?)
        OR (a.condition = 'instant' AND a.due_instant <= ?)
        OR (a.condition = 'working-days' AND a.start_date <= ?))
        AND (a.end_date IS NULL OR a.end_date > ?)`,
      params: [today, now.toISOString(), latestOverdueStart(today, emergencyStay), today],
    },
  ];
  if (filter.rule !== undefined) where.push({ sql: 'a.rule = ?', params: [filter.rule] });
  if (filter.settingId !== undefined) where.push({ sql: 'a.setting_id = ?', params: [filter.settingId] });
  if (filter.childId !== undefined) where.push({ sql: 'a.child_id = ?', params: [filter.childId] });
  if (scope !== null) {
    const known = childrenKnownToHomes(db, scope.settingIds);
    where.push(either(inSettings('a.setting_id', scope.settingIds), inIds('a.child_id', known)));
  }
  return listPage(
    db,
    position,
    {
      select: 'SELECT a.* FROM alerts a',
      where,
      keys: ['a.arose', 'a.alert_id'],
      keyOf: (row) => [row.arose, row.alert_id],
    },
    request,
    (r: AlertRowDb) => ({
      alertId: r.alert_id,
      rule: r.rule,
      childId: r.child_id,
      unit: r.unit === null ? null : (JSON.parse(r.unit) as AlertUnit),
      since: r.since ?? emergencyStayOverdueSince(r.start_date ?? today, today, emergencyStay) ?? today,
      link: r.link,
      placementId: r.placement_id,
      referralId: r.referral_id,
      householdId: r.household_id,
      stepDownId: r.step_down_id,
      milestoneId: r.milestone_id,
    }),
  );
}
