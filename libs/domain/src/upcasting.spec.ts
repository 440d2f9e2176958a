import { fold } from './shared/decider';
import { bedDecider, dayOf } from './bed/bed';
import type { BedEvent } from './bed/types';
import { currentSchemaVersion, upcast, type StoredEvent } from './upcasting';

describe('upcasting: events written by earlier builds still load', () => {
  it('writes BedOutOfUse at version 2 and every unchanged event at version 1', () => {
    expect(currentSchemaVersion('BedOutOfUse')).toBe(2);
    expect(currentSchemaVersion('BedOccupied')).toBe(1);
  });

  it('reads a version 1 BedOutOfUse: its `until` (the last day out of use) becomes `to`, the day after', () => {
    const v1: StoredEvent = {
      type: 'BedOutOfUse',
      schemaVersion: 1,
      data: { settingId: 's1', bedId: 'b1', reason: 'maintenance', from: '2026-02-26', until: '2026-02-28' },
    };
    expect(upcast(v1)).toEqual({
      type: 'BedOutOfUse',
      data: { settingId: 's1', bedId: 'b1', reason: 'maintenance', from: '2026-02-26', to: '2026-03-01' },
    });
    expect(upcast({ ...v1, data: { ...(v1.data as object), until: null } })).toMatchObject({ data: { to: null } });
  });

  it('treats an event with no version as version 1, and leaves the current version as it is', () => {
    const unversioned = { type: 'BedOutOfUse', data: { from: '2026-01-01', until: '2026-01-01' } };
    expect(upcast(unversioned)).toMatchObject({ data: { from: '2026-01-01', to: '2026-01-02' } });
    const current = { type: 'BedOutOfUse', schemaVersion: 2, data: { from: '2026-01-01', to: '2026-01-05' } };
    expect(upcast(current)).toEqual({ type: 'BedOutOfUse', data: current.data });
  });

  it('reads a version 1 PlacementEnded: an E-code REC said the child left care, anything else said nothing', () => {
    expect(currentSchemaVersion('PlacementEnded')).toBe(2);
    const v1 = {
      type: 'PlacementEnded',
      schemaVersion: 1,
      data: { childId: 'c1', placementId: 'p1', endDate: '2026-03-01', reasonForChange: 'CHILD' },
    };
    expect(upcast({ ...v1, data: { ...v1.data, reasonEpisodeCeased: null } })).toMatchObject({ data: { next: null } });
    expect(upcast({ ...v1, data: { ...v1.data, reasonEpisodeCeased: 'X1' } })).toMatchObject({ data: { next: null } });
    expect(upcast({ ...v1, data: { ...v1.data, reasonForChange: null, reasonEpisodeCeased: 'E17' } })).toMatchObject({
      data: { reasonEpisodeCeased: 'E17', next: 'leaves-care' },
    });
  });

  it('refuses a version newer than this build reads, rather than guess', () => {
    expect(() => upcast({ type: 'BedOutOfUse', schemaVersion: 3, data: {} })).toThrow(RangeError);
  });

  it('folds a bed stream in the old shapes: out of use from 26 to 28 February, back on 1 March', () => {
    const stored: StoredEvent[] = [
      { type: 'BedAdded', schemaVersion: 1, data: { settingId: 's1', bedId: 'b1', kind: 'residential', label: 'R1' } },
      {
        type: 'BedOutOfUse',
        schemaVersion: 1,
        data: { settingId: 's1', bedId: 'b1', reason: 'damage', from: '2026-02-26', until: '2026-02-28' },
      },
    ];
    const state = fold(
      bedDecider,
      stored.map((e) => upcast<BedEvent>(e)),
    );
    expect(dayOf(state, '2026-02-28')?.status).toBe('OutOfUse');
    expect(dayOf(state, '2026-03-01')?.status).toBe('Vacant');
  });
});
