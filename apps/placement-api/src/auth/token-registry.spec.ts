import { createHash } from 'node:crypto';
import { TokenRegistry } from './token-registry';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');
const NOW = new Date('2026-11-27T12:00:00Z');

describe('TokenRegistry', () => {
  const configured = JSON.stringify([
    { sha256: digest('s3cret-officer'), actorId: 'po-1', role: 'placement-officer' },
    { sha256: digest('old-token'), actorId: 'po-2', role: 'placement-officer', expiresAt: '2026-11-01T00:00:00Z' },
    { sha256: digest('leaked'), actorId: 'rm-1', role: 'residential-manager', settingIds: ['home-1'] },
  ]);

  it('recognises a configured token by its digest and maps it to an actor and role', () => {
    const registry = new TokenRegistry({ configuredJson: configured });
    expect(registry.check('s3cret-officer', NOW)).toEqual({
      ok: true,
      actor: { id: 'po-1', role: 'placement-officer', settingIds: [] },
    });
  });

  it('refuses unknown, expired and revoked tokens, saying which', () => {
    const registry = new TokenRegistry({ configuredJson: configured, revokedHex: digest('leaked') });
    expect(registry.check('s3cret-officeR', NOW)).toEqual({ ok: false, reason: 'unknown' });
    expect(registry.check('old-token', NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(registry.check('leaked', NOW)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('accepts the demo tokens only when asked to (outside production)', () => {
    expect(new TokenRegistry({}).check('dev-auditor', NOW)).toEqual({ ok: false, reason: 'unknown' });
    const demo = new TokenRegistry({ demo: { managerSettingIds: ['a', 'b'] } });
    expect(demo.check('dev-auditor', NOW)).toEqual({
      ok: true,
      actor: { id: 'demo-auditor', role: 'auditor', settingIds: [] },
    });
    expect(demo.check('dev-manager', NOW)).toEqual({
      ok: true,
      actor: { id: 'demo-residential-manager', role: 'residential-manager', settingIds: ['a', 'b'] },
    });
  });

  it('stops on a revoked entry it cannot read instead of skipping it, naming its position', () => {
    expect(() => new TokenRegistry({ revokedHex: `${digest('a')}, leaked-plain-token ,${digest('b')}` })).toThrow(
      'REVOKED_TOKEN_SHA256 entry 2 of 3 is not a SHA-256 digest (64 hex digits)',
    );
  });

  it('refuses a configuration with a plain token, an unknown role or a bad expiry', () => {
    expect(
      () =>
        new TokenRegistry({ configuredJson: JSON.stringify([{ sha256: 'dev-admin', actorId: 'x', role: 'admin' }]) }),
    ).toThrow(/sha256/);
    expect(
      () =>
        new TokenRegistry({
          configuredJson: JSON.stringify([{ sha256: digest('x'), actorId: 'x', role: 'superuser' }]),
        }),
    ).toThrow(/entry 1 of 1: role must be one of placement-officer, residential-manager, auditor, admin/);
    expect(
      () =>
        new TokenRegistry({
          configuredJson: JSON.stringify([{ sha256: digest('x'), actorId: 'x', role: 'admin', expiresAt: 'soon' }]),
        }),
    ).toThrow(/expiresAt/);
  });
});
