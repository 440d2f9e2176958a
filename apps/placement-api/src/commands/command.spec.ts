import { commandContext, commandDigest, deterministicEventId, firstDifference, metadataFor } from './command';

const actor = { id: 'po-1', role: 'placement-officer' as const, settingIds: [] };

describe('command ids and event ids', () => {
  it('derives the same event ids for the same command, stream and index: a retry writes nothing new', () => {
    const a = deterministicEventId('placement:p1', 'bed-home.b1', 0);
    expect(deterministicEventId('placement:p1', 'bed-home.b1', 0)).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('placement:p1', 'bed-home.b1', 1)).not.toBe(a);
    expect(deterministicEventId('placement:p1', 'child-c1', 0)).not.toBe(a);
    expect(deterministicEventId('placement:p2', 'bed-home.b1', 0)).not.toBe(a);
  });

  it('uses the Idempotency-Key when given, scoped to the actor, else the natural key', () => {
    const now = new Date('2026-11-27T18:00:00Z');
    expect(commandContext({ actor, naturalKey: 'placement:p1', now }).commandId).toBe('placement:p1');
    expect(commandContext({ actor, naturalKey: 'placement:p1', idempotencyKey: 'k-1', now }).commandId).toBe(
      'key:po-1:k-1',
    );
    expect(commandContext({ actor, naturalKey: 'placement:p1', now }).at).toBe('2026-11-27T18:00:00.000Z');
  });

  it('names the id as the client knows it: the Idempotency-Key, else the ids in the natural key', () => {
    const now = new Date('2026-11-27T18:00:00Z');
    expect(commandContext({ actor, naturalKey: 'placement:p1', now }).clientId).toBe('p1');
    expect(commandContext({ actor, naturalKey: 'meeting:r1:m1', now }).clientId).toBe('r1:m1');
    expect(commandContext({ actor, naturalKey: 'placement:p1', idempotencyKey: 'k-1', now }).clientId).toBe('k-1');
  });

  it("records the request's digest in each event's metadata, and none for the system's own commands", () => {
    const ctx = commandContext({ actor, naturalKey: 'placement:p1', now: new Date('2026-11-27T18:00:00Z') });
    expect(metadataFor(ctx)).not.toHaveProperty('commandDigest');
    expect(metadataFor({ ...ctx, digest: { placementId: '0123456789abcdef' } }).commandDigest).toEqual({
      placementId: '0123456789abcdef',
    });
  });
});

const placement = {
  placementId: 'p1',
  childId: 'c1',
  unit: { kind: 'bed', settingId: 'home', bedId: 'b1' },
  place: 'K2',
  emergency: false,
  milestones: [{ milestoneId: 'ms-1', dueDate: '2026-12-10' }],
  communicationNeeds: [],
};

describe('a command digest', () => {
  it('has one short hash per leaf field, by path, and no value in it', () => {
    const digest = commandDigest('placement:p1', placement);
    expect(Object.keys(digest)).toEqual([
      'placementId',
      'childId',
      'unit.kind',
      'unit.settingId',
      'unit.bedId',
      'place',
      'emergency',
      'milestones[0].milestoneId',
      'milestones[0].dueDate',
      'communicationNeeds',
    ]);
    for (const hash of Object.values(digest)) expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(digest)).not.toMatch(/2026-12-10|home|K2/);
  });

  it('is the same for the same request, and tells nothing of another command with the same values', () => {
    expect(commandDigest('placement:p1', { ...placement })).toEqual(commandDigest('placement:p1', placement));
    const elsewhere = commandDigest('placement:p2', placement);
    expect(elsewhere['place']).not.toBe(commandDigest('placement:p1', placement)['place']);
  });

  it('treats an absent field and null alike, but an empty list as a value', () => {
    const withNull = commandDigest('k', { ...placement, referralId: null, siblingGroupId: undefined });
    expect(withNull).toEqual(commandDigest('k', placement));
    const { communicationNeeds: _, ...without } = placement;
    expect(firstDifference(commandDigest('k', placement), commandDigest('k', without))).toBe('communicationNeeds');
  });

  it('tells a string from a number and a changed value at any depth', () => {
    const recorded = commandDigest('k', placement);
    expect(firstDifference(recorded, commandDigest('k', { ...placement, emergency: 'false' }))).toBe('emergency');
    const otherBed = { ...placement, unit: { ...placement.unit, bedId: 'b2' } };
    expect(firstDifference(recorded, commandDigest('k', otherBed))).toBe('unit.bedId');
  });

  it('names the first differing field in the order of the new request, then fields it dropped', () => {
    const recorded = commandDigest('k', placement);
    const changed = commandDigest('k', { ...placement, childId: 'c2', place: 'K1' });
    expect(firstDifference(recorded, changed)).toBe('childId');
    const more = commandDigest('k', { ...placement, milestones: [...placement.milestones, { milestoneId: 'ms-2' }] });
    expect(firstDifference(recorded, more)).toBe('milestones[1].milestoneId');
    const { place: _, ...fewer } = placement;
    expect(firstDifference(recorded, commandDigest('k', fewer))).toBe('place');
    expect(firstDifference(recorded, commandDigest('k', placement))).toBeNull();
  });
});
