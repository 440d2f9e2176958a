import type { PlacementStarted, UnitRef } from '@placement/domain';
import type { EventStore } from '@placement/event-store';
import { childListProjection } from './child-list.projection';
import { readChildList, readPlacementList, readStepDownList } from './child-list.query';
import type { Page, PageRequest } from './page';
import { childRegistered } from '../testing/audit-fixtures';
import { placementEndedIn, placementStartedIn } from '../testing/child-fixtures';
import { caughtUpWithStory, liveAndRebuiltTables, on, record, tempFilesEachTest } from '../testing/harness';

const TODAY = '2026-06-01';
const ALL: PageRequest = { limit: 100, after: null };
const bed = (settingId: string, bedId: string): UnitRef => ({ kind: 'bed', settingId, bedId });
const household = (householdId: string): UnitRef => ({ kind: 'household', householdId });

const registered = (childId: string) => on(`child-${childId}`, childRegistered(childId, { dateOfBirth: '2011-02-03' }));
const started = (
  childId: string,
  placementId: string,
  unit: UnitRef,
  startDate: string,
  extra: Partial<PlacementStarted['data']> = {},
) =>
  on(
    `child-${childId}`,
    placementStartedIn(childId, placementId, unit, startDate, {
      place: unit.kind === 'household' ? 'U4' : 'K2',
      legalStatus: 'V2',
      startsPeriodOfCare: false,
      ...extra,
    }),
  );
const ended = (childId: string, placementId: string, unit: UnitRef, endDate: string) =>
  on(`child-${childId}`, placementEndedIn(childId, placementId, unit, endDate));
const stepDownPlanned = (childId: string, stepDownId: string, fromPlacementId: string, plannedDate: string) =>
  on(`child-${childId}`, {
    type: 'StepDownPlanned',
    data: {
      childId,
      stepDownId,
      fromPlacementId,
      toHouseholdId: 'fh1',
      plannedDate,
      safetyPlan: {
        summaryProvided: true,
        reviewDate: '2026-07-01',
        contingencyAgreed: true,
        leadRole: 'social-worker',
      },
      milestones: [
        { milestoneId: 'm1', kind: 'introductions', dueDate: '2026-05-20' },
        { milestoneId: 'm2', kind: 'overnight-stay', dueDate: '2026-05-27' },
      ],
    },
  });

/**
 * Worked by hand, today 2026-06-01:
 * - c1 lives in s1.b1 since 1 May (legal status changed V2 → C2), with a step-down planned;
 * - c2 left household fh1 on 10 May for s2.b1; her step-down was abandoned;
 * - c3 left s1.b2 today by a completed step-down into fh1 (so lives at fh1 from today);
 * - c4 has only a planned arrival at s1.b3 on 1 July: open, but she lives nowhere yet.
 */
async function recordStory(store: EventStore): Promise<bigint> {
  return record(
    store,
    registered('c1'),
    registered('c2'),
    registered('c3'),
    registered('c4'),
    started('c1', 'p-c1', bed('s1', 'b1'), '2026-05-01', { emergency: true }),
    on('child-c1', { type: 'LegalStatusChanged', data: { childId: 'c1', legalStatus: 'C2', date: '2026-05-15' } }),
    started('c2', 'p-c2a', household('fh1'), '2026-04-01'),
    ended('c2', 'p-c2a', household('fh1'), '2026-05-10'),
    started('c2', 'p-c2b', bed('s2', 'b1'), '2026-05-10'),
    started('c3', 'p-c3', bed('s1', 'b2'), '2026-03-01'),
    stepDownPlanned('c3', 'sd-c3', 'p-c3', '2026-06-01'),
    on('child-c3', {
      type: 'StepDownMilestoneRecorded',
      data: { childId: 'c3', stepDownId: 'sd-c3', milestoneId: 'm1', date: '2026-05-21', outcome: 'met' },
    }),
    ended('c3', 'p-c3', bed('s1', 'b2'), '2026-06-01'),
    started('c3', 'p-c3-fh', household('fh1'), '2026-06-01', { stepDownId: 'sd-c3' }),
    on('child-c3', {
      type: 'StepDownCompleted',
      data: {
        childId: 'c3',
        stepDownId: 'sd-c3',
        fromPlacementId: 'p-c3',
        newPlacementId: 'p-c3-fh',
        toHouseholdId: 'fh1',
        date: '2026-06-01',
      },
    }),
    stepDownPlanned('c1', 'sd-c1', 'p-c1', '2026-08-01'),
    stepDownPlanned('c2', 'sd-c2', 'p-c2b', '2026-07-01'),
    on('child-c2', {
      type: 'StepDownAbandoned',
      data: { childId: 'c2', stepDownId: 'sd-c2', reason: 'child-wishes', date: '2026-05-30' },
    }),
    started('c4', 'p-c4', bed('s1', 'b3'), '2026-07-01'),
  );
}

const ids = <T>(page: Page<T>, id: (item: T) => string) => page.items.map(id);

describe('child list: children, placements and step-downs (worked by hand)', () => {
  const files = tempFilesEachTest('child-list');

  it('tells who lives where today, by home and household; a manager sees the children in their homes', async () => {
    const { db, position, close } = await caughtUpWithStory(files, [childListProjection], recordStory);
    const children = (filter = {}, scope: { settingIds: string[] } | null = null) =>
      readChildList(db, position, { today: TODAY, filter, scope }, ALL);

    const all = children();
    expect(all.items).toEqual([
      {
        childId: 'c1',
        sex: 'F',
        dateOfBirth: '2011-02-03',
        legalStatus: 'C2',
        livesAt: { placementId: 'p-c1', unit: bed('s1', 'b1'), since: '2026-05-01', until: null },
      },
      {
        childId: 'c2',
        sex: 'F',
        dateOfBirth: '2011-02-03',
        legalStatus: 'V2',
        livesAt: { placementId: 'p-c2b', unit: bed('s2', 'b1'), since: '2026-05-10', until: null },
      },
      {
        childId: 'c3',
        sex: 'F',
        dateOfBirth: '2011-02-03',
        legalStatus: 'V2',
        livesAt: { placementId: 'p-c3-fh', unit: household('fh1'), since: '2026-06-01', until: null },
      },
      { childId: 'c4', sex: 'F', dateOfBirth: '2011-02-03', legalStatus: 'V2', livesAt: null },
    ]);
    expect(all.position).toBe(position.toString());
    expect(all.nextAfter).toBeNull();
    expect(ids(children({ settingId: 's1' }), (c) => c.childId)).toEqual(['c1']);
    expect(ids(children({ settingId: 's2' }), (c) => c.childId)).toEqual(['c2']);
    expect(ids(children({ householdId: 'fh1' }), (c) => c.childId)).toEqual(['c3']);
    // The day before, c3 still lived in s1 and nobody lived with fh1 (c2 had left on 10 May).
    const yesterday = (filter: object) =>
      readChildList(db, position, { today: '2026-05-31', filter, scope: null }, ALL).items.map((c) => c.childId);
    expect(yesterday({ settingId: 's1' })).toEqual(['c1', 'c3']);
    expect(yesterday({ householdId: 'fh1' })).toEqual([]);
    // A manager of s1 lists the child living there today, not the one who left nor the one yet to come.
    expect(ids(children({}, { settingIds: ['s1'] }), (c) => c.childId)).toEqual(['c1']);
    expect(ids(children({ settingId: 's2' }, { settingIds: ['s1'] }), (c) => c.childId)).toEqual([]);
    expect(ids(children({}, { settingIds: [] }), (c) => c.childId)).toEqual([]);
    await close();
  });

  it('lists placements by start date, open or ended today, by home or household; pages without gaps', async () => {
    const { db, position, close } = await caughtUpWithStory(files, [childListProjection], recordStory);
    const placements = (filter = {}, scope: { settingIds: string[] } | null = null, request = ALL) =>
      readPlacementList(db, position, { today: TODAY, filter, scope }, request);

    expect(ids(placements(), (p) => p.placementId)).toEqual(['p-c3', 'p-c2a', 'p-c1', 'p-c2b', 'p-c3-fh', 'p-c4']);
    // Ended on or before today is not open; a planned arrival is.
    expect(ids(placements({ open: true }), (p) => p.placementId)).toEqual(['p-c1', 'p-c2b', 'p-c3-fh', 'p-c4']);
    expect(ids(placements({ open: false }), (p) => p.placementId)).toEqual(['p-c3', 'p-c2a']);
    expect(ids(placements({ settingId: 's1' }), (p) => p.placementId)).toEqual(['p-c3', 'p-c1', 'p-c4']);
    expect(ids(placements({ householdId: 'fh1', open: true }), (p) => p.placementId)).toEqual(['p-c3-fh']);
    expect(placements({ settingId: 's1', open: false }).items).toEqual([
      {
        placementId: 'p-c3',
        childId: 'c3',
        unit: bed('s1', 'b2'),
        place: 'K2',
        placeProvider: 'PR1',
        legalStatus: 'V2',
        startDate: '2026-03-01',
        endDate: '2026-06-01',
        open: false,
        emergency: false,
        referralId: null,
        stepDownId: null,
        reasonForChange: 'LAREQ',
        reasonEpisodeCeased: null,
      },
    ]);
    // A manager of s2 sees the placements in s2 and every placement of the child living there (c2's earlier one).
    expect(ids(placements({}, { settingIds: ['s2'] }), (p) => p.placementId)).toEqual(['p-c2a', 'p-c2b']);
    expect(ids(placements({}, { settingIds: ['s1'] }), (p) => p.placementId)).toEqual(['p-c3', 'p-c1', 'p-c4']);

    // Pages of two: three pages, every placement once, in order.
    const first = placements({}, null, { limit: 2, after: null });
    expect(ids(first, (p) => p.placementId)).toEqual(['p-c3', 'p-c2a']);
    expect(first.nextAfter).toEqual(['2026-04-01', 'p-c2a']);
    const second = placements({}, null, { limit: 2, after: first.nextAfter });
    expect(ids(second, (p) => p.placementId)).toEqual(['p-c1', 'p-c2b']);
    const third = placements({}, null, { limit: 2, after: second.nextAfter });
    expect(ids(third, (p) => p.placementId)).toEqual(['p-c3-fh', 'p-c4']);
    expect(third.nextAfter).toBeNull();
    await close();
  });

  it('lists step-downs by planned date with milestones; a manager sees those from their homes', async () => {
    const { db, position, close } = await caughtUpWithStory(files, [childListProjection], recordStory);
    const stepDowns = (filter = {}, scope: { settingIds: string[] } | null = null) =>
      readStepDownList(db, position, { today: TODAY, filter, scope }, ALL);

    expect(stepDowns().items.map((s) => [s.stepDownId, s.status, s.fromSettingId])).toEqual([
      ['sd-c3', 'completed', 's1'],
      ['sd-c2', 'abandoned', 's2'],
      ['sd-c1', 'planned', 's1'],
    ]);
    const completed = stepDowns({ status: 'completed' }).items;
    expect(completed).toEqual([
      {
        stepDownId: 'sd-c3',
        childId: 'c3',
        fromPlacementId: 'p-c3',
        fromSettingId: 's1',
        toHouseholdId: 'fh1',
        plannedDate: '2026-06-01',
        status: 'completed',
        milestones: [
          { milestoneId: 'm1', kind: 'introductions', dueDate: '2026-05-20', outcome: 'met', recordedOn: '2026-05-21' },
          { milestoneId: 'm2', kind: 'overnight-stay', dueDate: '2026-05-27', outcome: null, recordedOn: null },
        ],
        newPlacementId: 'p-c3-fh',
        completedOn: '2026-06-01',
        abandoned: null,
      },
    ]);
    expect(stepDowns({ status: 'abandoned' }).items[0].abandoned).toEqual({ on: '2026-05-30', reason: 'child-wishes' });
    expect(ids(stepDowns({ status: 'planned' }), (s) => s.stepDownId)).toEqual(['sd-c1']);
    expect(ids(stepDowns({}, { settingIds: ['s1'] }), (s) => s.stepDownId)).toEqual(['sd-c3', 'sd-c1']);
    expect(ids(stepDowns({}, { settingIds: ['s2'] }), (s) => s.stepDownId)).toEqual(['sd-c2']);
    await close();
  });

  it('gives the same tables rebuilt from zero as built live, event by event', async () => {
    const { live, rebuilt } = await liveAndRebuiltTables(files, [childListProjection], recordStory);
    expect(live['list_placements']).toHaveLength(6);
    expect(rebuilt).toEqual(live);
  });
});
