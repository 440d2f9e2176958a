import { commandContext, deterministicEventId, metadataFor } from './command-context';

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
