import { diaryNights, diaryRows, diaryTo, type SettingDiaryIn } from './diary-grid';

const DIARY: SettingDiaryIn = {
  settingId: 'h1',
  from: '2026-11-30',
  to: '2026-12-13',
  today: '2026-11-30',
  beds: [
    {
      bedId: 'b1',
      label: 'Room 1',
      kind: 'residential',
      bookings: [
        {
          placementId: 'p-1',
          childId: 'c-1',
          from: '2026-10-01',
          to: '2026-12-02',
          arrival: 'actual',
          departure: 'planned',
        },
        { placementId: 'p-2', childId: 'c-2', from: '2026-12-02', to: null, arrival: 'planned', departure: null },
      ],
      outOfUse: [],
      hold: null,
    },
    {
      bedId: 'b2',
      label: 'Room 2',
      kind: 'residential',
      bookings: [],
      outOfUse: [{ reason: 'maintenance', from: '2026-12-01', to: '2026-12-03' }],
      hold: { referralId: 'r-1', until: '2026-12-05T10:00:00Z' },
    },
  ],
};

describe("a home's two-week diary", () => {
  it('is fourteen nights from the first asked', () => {
    expect(diaryTo('2026-11-30')).toBe('2026-12-13');
    expect(diaryNights('2026-11-30')).toHaveLength(14);
    expect(diaryNights('2026-11-30')[13]).toBe('2026-12-13');
  });

  it('says each night of each bed: occupied, a planned departure and arrival on the same day, then occupied', () => {
    const [b1] = diaryRows(DIARY, '2026-11-30', true);
    expect(b1.cells.slice(0, 4).map((c) => c.text)).toEqual([
      'Occupied: child c-1',
      'Occupied: child c-1',
      'Planned departure. Planned arrival: child c-2',
      'Occupied: child c-2',
    ]);
    expect(b1.cells.slice(0, 4).map((c) => c.colour)).toEqual(['blue', 'blue', 'purple', 'purple']);
  });

  it('shows a bed out of use over its period, held until its hold ends, and free after', () => {
    const [, b2] = diaryRows(DIARY, '2026-11-30', true);
    expect(b2.cells.slice(0, 8).map((c) => c.text)).toEqual([
      'Held',
      'Out of use',
      'Out of use',
      'Held',
      'Held',
      'Held',
      'Free',
      'Free',
    ]);
  });

  it("ends a hold on its London night: one lapsing at 23:30 UTC in summer is held into the next day's night", () => {
    const summer = {
      ...DIARY,
      from: '2026-06-01',
      to: '2026-06-14',
      today: '2026-06-01',
      beds: [{ ...DIARY.beds[1], outOfUse: [], hold: { referralId: 'r-1', until: '2026-06-02T23:30:00Z' } }],
    };
    const [bed] = diaryRows(summer, '2026-06-01', true);
    expect(bed.cells.slice(0, 4).map((c) => c.text)).toEqual(['Held', 'Held', 'Held', 'Free']);
  });

  it('names no child where the viewer does not keep the home, nor where the answer carries no id', () => {
    const texts = diaryRows(DIARY, '2026-11-30', false).flatMap((r) => r.cells.map((c) => c.text));
    expect(texts.join(' ')).not.toMatch(/c-1|c-2|p-1|p-2|r-1/);
    expect(texts.slice(0, 3)).toEqual(['Occupied', 'Occupied', 'Planned departure. Planned arrival']);
    const redacted = {
      ...DIARY,
      beds: DIARY.beds.map((b) => ({
        ...b,
        bookings: b.bookings.map(({ from, to, arrival, departure }) => ({ from, to, arrival, departure })),
      })),
    };
    expect(diaryRows(redacted, '2026-11-30', true)[0].cells[0].text).toBe('Occupied');
  });
});
