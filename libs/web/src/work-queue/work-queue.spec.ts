import type { AlertItem } from '@placement/projections';
import { ALERT_RULES } from '@placement/projections';
import { ALERT_MESSAGES, boardLink, workQueue } from './work-queue';

const alert = (alertId: string, over: Partial<AlertItem>): AlertItem => ({
  alertId,
  rule: 'NO_OPEN_PLACEMENT',
  childId: null,
  unit: null,
  since: '2026-11-30',
  link: '/v1/children/x',
  placementId: null,
  referralId: null,
  householdId: null,
  stepDownId: null,
  milestoneId: null,
  ...over,
});

// As the API answers: the oldest situation first.
const ALERTS: AlertItem[] = [
  alert('a1', {
    rule: 'BLOCK_BED_VOID',
    unit: { kind: 'block-bed', contractId: 'k-1', bedRef: 'p1' },
    since: '2026-11-01',
  }),
  alert('a2', {
    rule: 'UNMATCHED_EMERGENCY',
    childId: 'c-2',
    referralId: 'r-2',
    unit: { kind: 'bed', settingId: 'h1', bedId: 'b1' },
    since: '2026-11-20',
  }),
  alert('a3', { rule: 'STEP_DOWN_MILESTONE_OVERDUE', childId: 'c-3', stepDownId: 's-3', since: '2026-11-25' }),
  alert('a4', { rule: 'HOLD_LAPSING', referralId: 'r-4', since: '2026-11-30T09:00:00.000Z' }),
];

describe('the work queue', () => {
  it('lists the alerts newest first, each rule in plain English with the child or unit', () => {
    const rows = workQueue(ALERTS, 'admin');
    expect(rows.map((r) => r.alertId)).toEqual(['a4', 'a3', 'a2', 'a1']);
    expect(rows[2]).toMatchObject({
      message: ALERT_MESSAGES.UNMATCHED_EMERGENCY,
      child: 'c-2',
      unit: 'Bed b1 at h1',
    });
    expect(rows[3].unit).toBe('Block-booked bed p1 (contract k-1)');
  });

  it("orders a hold's instant by London time among plain dates: 23:30 UTC on 31 May is 1 June in London", () => {
    const rows = workQueue(
      [
        alert('day', { since: '2026-06-01' }),
        alert('hold', { rule: 'HOLD_LAPSING', referralId: 'r-5', since: '2026-05-31T23:30:00.000Z' }),
        alert('before', { since: '2026-05-31' }),
      ],
      'admin',
    );
    expect(rows.map((r) => r.alertId)).toEqual(['hold', 'day', 'before']);
  });

  it('says every rule the API can raise in words', () => {
    for (const rule of ALERT_RULES) expect(ALERT_MESSAGES[rule]).toMatch(/^[A-Z].{10,}[^.]$/);
  });

  it("links each alert to a page of the board that the person's role may open", () => {
    const [a1, a2, a3] = ALERTS;
    expect(boardLink(a2, 'placement-officer')?.href).toBe('/referrals/r-2');
    expect(boardLink(a2, 'residential-manager')?.href).toBe('/homes/h1');
    expect(boardLink(a3, 'residential-manager')?.href).toBe('/step-downs/s-3');
    expect(boardLink(a3, 'auditor')?.href).toBe('/audit/children/c-3');
    expect(boardLink(a3, 'placement-officer')).toBeNull();
    expect(boardLink(a1, 'auditor')?.href).toBe('/?kind=block-booked');
  });
});
