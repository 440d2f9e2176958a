import { syntheticEvents } from './synthetic-events';

describe('synthetic events', () => {
  it('is one authority by default, its estate first', () => {
    const events = [...syntheticEvents({ count: 30, seed: 1 })];
    expect(events).toHaveLength(30);
    expect(events[0].streamId).toBe('setting-home-1');
    expect(events.every((e) => !/^[a-z]+-a\d+-/.test(e.streamId))).toBe(true);
  });

  it('makes a longer log of more authorities, each with its own ids and the events asked', () => {
    const events = [...syntheticEvents({ count: 2_500, seed: 1, authorityEvents: 1_000 })];
    const authorityOf = (streamId: string) => /^[a-z]+-(a\d+)-/.exec(streamId)?.[1];
    expect(events.slice(0, 1_000).every((e) => authorityOf(e.streamId) === 'a1')).toBe(true);
    expect(events.slice(1_000, 2_000).every((e) => authorityOf(e.streamId) === 'a2')).toBe(true);
    expect(events.slice(2_000).every((e) => authorityOf(e.streamId) === 'a3')).toBe(true);
    expect(events[1_000].streamId).toBe('setting-a2-home-1');
    // Every id a child's events carry is its authority's.
    const placed = events.filter((e) => e.event.type === 'PlacementStarted').map((e) => e.event.data);
    expect(placed.length).toBeGreaterThan(100);
    for (const data of placed as { childId: string; placementId: string; referralId: string | null }[]) {
      const authority = /^(a\d+)-/.exec(data.childId)?.[1];
      expect(data.placementId.startsWith(`${authority}-`)).toBe(true);
      if (data.referralId !== null) expect(data.referralId.startsWith(`${authority}-`)).toBe(true);
    }
  });
});
