import { withoutChildren } from './without-children';

describe('withoutChildren', () => {
  it('drops every field naming a child, a referral, a placement or a step-down, at any depth', () => {
    const beds = [
      { bedId: 'b1', state: { status: 'Vacant', bed: { settingId: 'h-1', bedId: 'b1', label: 'Room 1' } } },
      {
        bedId: 'b2',
        state: {
          status: 'Held',
          bed: { settingId: 'h-1', bedId: 'b2' },
          referralId: 'r-1',
          childId: 'c-1',
          until: 'x',
        },
      },
      {
        bedId: 'b3',
        state: {
          status: 'Occupied',
          occupant: { placementId: 'p-1', childId: 'c-2', referralId: null, emergency: true, startDate: '2026-11-01' },
          history: [{ childId: 'c-3', stepDownId: 'sd-1', date: '2026-10-01' }],
        },
      },
    ];
    expect(withoutChildren(beds)).toEqual([
      { bedId: 'b1', state: { status: 'Vacant', bed: { settingId: 'h-1', bedId: 'b1', label: 'Room 1' } } },
      { bedId: 'b2', state: { status: 'Held', bed: { settingId: 'h-1', bedId: 'b2' }, until: 'x' } },
      {
        bedId: 'b3',
        state: {
          status: 'Occupied',
          occupant: { emergency: true, startDate: '2026-11-01' },
          history: [{ date: '2026-10-01' }],
        },
      },
    ]);
    // The input is left as it was.
    expect(beds[1].state).toHaveProperty('childId', 'c-1');
  });
});
