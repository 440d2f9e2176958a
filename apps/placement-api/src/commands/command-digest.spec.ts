import { commandDigest, firstDifference } from './command-digest';

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
