import { isInstant, londonDateOf } from '@placement/domain';
import type { AlertItem } from '@placement/projections';
import type { ViewerRole } from '../board.port';

/** Each alert rule in plain English: what needs attention. The code stays on the page for the record. */
export const ALERT_MESSAGES: Record<AlertItem['rule'], string> = {
  UNMATCHED_EMERGENCY: 'Placed in an emergency with no matching meeting before it: a matched meeting is still needed',
  EMERGENCY_STAY_OVERDUE: 'An emergency stay has gone past its limit of working days',
  PLACED_AGAINST_EXCLUSION: 'Placed where the matching engine excluded the unit, under an override by the meeting',
  AGED_18_IN_HOME_REGISTERED_TO_17: 'Turning 18 (or 18 already) in a home registered for children up to 17',
  NO_OPEN_PLACEMENT: 'A child looked after with no open placement',
  STEP_DOWN_MILESTONE_OVERDUE: 'A step-down milestone is past its due date',
  HOLD_LAPSING: 'A hold on a bed lapses within two hours',
  BLOCK_BED_VOID: 'A block-booked bed has been void (paid for, empty) for more than 7 nights',
};

/** One line of the work queue, in words, with the board's page to open for it. */
export interface WorkItem {
  readonly alertId: string;
  readonly rule: AlertItem['rule'];
  readonly message: string;
  readonly child: string;
  readonly unit: string;
  /** A London date, or for a hold the instant it falls due. */
  readonly since: string;
  readonly link: { readonly href: string; readonly text: string } | null;
}

function unitText(unit: AlertItem['unit']): string {
  if (unit === null) return '';
  if (unit.kind === 'bed') return `Bed ${unit.bedId} at ${unit.settingId}`;
  if (unit.kind === 'household') return `Foster household ${unit.householdId}`;
  if (unit.kind === 'block-bed') return `Block-booked bed ${unit.bedRef} (contract ${unit.contractId})`;
  return `External provider ${unit.urn ?? unit.providerCode}`;
}

const path = (...parts: string[]) => parts.map((p) => `/${encodeURIComponent(p)}`).join('');

/**
 * The board's page for an alert that this role may open: the referral (placement team), the
 * step-down or the home (residential managers), the child's record (auditors), the capacity
 * board for a block-booked bed; null when there is none this role may open.
 */
export function boardLink(alert: AlertItem, role: ViewerRole): WorkItem['link'] {
  const placementTeam = role === 'placement-officer' || role === 'admin';
  const homes = role === 'residential-manager' || role === 'admin';
  const audit = role === 'auditor' || role === 'admin';
  if (alert.referralId && (placementTeam || role === 'auditor'))
    return { href: path('referrals', alert.referralId), text: `Referral ${alert.referralId}` };
  if (alert.stepDownId && homes)
    return { href: path('step-downs', alert.stepDownId), text: `Step-down ${alert.stepDownId}` };
  if (alert.unit?.kind === 'bed' && homes)
    return { href: path('homes', alert.unit.settingId), text: `Home ${alert.unit.settingId}` };
  if (alert.childId && audit)
    return { href: path('audit', 'children', alert.childId), text: `Child ${alert.childId}'s record` };
  if (alert.unit?.kind === 'block-bed') return { href: '/?kind=block-booked', text: 'Block-booked beds' };
  if (alert.unit?.kind === 'household') return { href: '/?kind=foster', text: 'Foster households' };
  if (alert.unit?.kind === 'bed') return { href: '/', text: 'Capacity board' };
  return null;
}

/**
 * When an alert's situation began, comparable across its two forms: a London date (from the start of that
 * day) or an instant (on its London date, at its time).
 */
function sinceKey(since: string): { day: string; at: number } {
  return isInstant(since) ? { day: londonDateOf(since), at: Date.parse(since) } : { day: since, at: -Infinity };
}

/** The alerts newest first (the API lists the oldest situation first), each in words with its link. */
export function workQueue(alerts: readonly AlertItem[], role: ViewerRole): WorkItem[] {
  const newestFirst = (a: { day: string; at: number }, b: { day: string; at: number }) =>
    a.day !== b.day ? (a.day < b.day ? 1 : -1) : b.at - a.at;
  return alerts
    .map((alert, i) => ({ alert, i, since: sinceKey(alert.since) }))
    .sort((a, b) => newestFirst(a.since, b.since) || b.i - a.i)
    .map(({ alert }) => ({
      alertId: alert.alertId,
      rule: alert.rule,
      message: ALERT_MESSAGES[alert.rule] ?? alert.rule,
      child: alert.childId ?? '',
      unit: unitText(alert.unit),
      since: alert.since,
      link: boardLink(alert, role),
    }));
}
