import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './roles';
import { ROLES } from './roles';

export interface AuthenticatedActor {
  id: string;
  role: Role;
  /** For residential managers: the settings they keep. Empty for other roles. */
  settingIds: readonly string[];
}

interface TokenEntry {
  digest: Buffer;
  actor: AuthenticatedActor;
  expiresAt?: number;
}

export type TokenCheck =
  { ok: true; actor: AuthenticatedActor } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

export const DEMO_TOKENS: Record<string, { actorId: string; role: Role }> = {
  'dev-placement': { actorId: 'demo-placement-officer', role: 'placement-officer' },
  'dev-manager': { actorId: 'demo-residential-manager', role: 'residential-manager' },
  'dev-auditor': { actorId: 'demo-auditor', role: 'auditor' },
  'dev-admin': { actorId: 'demo-admin', role: 'admin' },
};

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

interface ConfiguredToken {
  sha256: string;
  actorId: string;
  role: string;
  settingIds?: string[];
  expiresAt?: string;
}

/**
 * Tokens are held only as SHA-256 digests and compared with timingSafeEqual against
 * every entry (no early exit), so response time says nothing about how close a guess was.
 */
export class TokenRegistry {
  private readonly entries: TokenEntry[] = [];
  private readonly revoked: Buffer[];

  constructor(options: {
    configuredJson?: string;
    revokedHex?: string;
    demo?: { managerSettingIds: readonly string[] };
  }) {
    if (options.configuredJson) {
      const parsed: unknown = JSON.parse(options.configuredJson);
      if (!Array.isArray(parsed)) throw new Error('API_TOKENS must be a JSON array');
      for (const raw of parsed as ConfiguredToken[]) {
        if (!/^[0-9a-f]{64}$/i.test(raw.sha256 ?? ''))
          throw new Error('API_TOKENS: each entry needs a 64-hex-digit sha256');
        if (!ROLES.includes(raw.role as Role)) throw new Error(`API_TOKENS: unknown role ${String(raw.role)}`);
        if (!raw.actorId) throw new Error('API_TOKENS: each entry needs an actorId');
        const expiresAt = raw.expiresAt ? Date.parse(raw.expiresAt) : undefined;
        if (expiresAt !== undefined && Number.isNaN(expiresAt))
          throw new Error('API_TOKENS: expiresAt must be an ISO date-time');
        this.entries.push({
          digest: Buffer.from(raw.sha256, 'hex'),
          actor: { id: raw.actorId, role: raw.role as Role, settingIds: raw.settingIds ?? [] },
          expiresAt,
        });
      }
    }
    if (options.demo) {
      for (const [token, { actorId, role }] of Object.entries(DEMO_TOKENS)) {
        const settingIds = role === 'residential-manager' ? options.demo.managerSettingIds : [];
        this.entries.push({ digest: sha256(token), actor: { id: actorId, role, settingIds } });
      }
    }
    this.revoked = (options.revokedHex ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^[0-9a-f]{64}$/i.test(s))
      .map((s) => Buffer.from(s, 'hex'));
  }

  check(token: string, now: Date): TokenCheck {
    const digest = sha256(token);
    let found: TokenEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    }
    let revoked = false;
    for (const r of this.revoked) if (timingSafeEqual(r, digest)) revoked = true;
    if (!found) return { ok: false, reason: 'unknown' };
    if (revoked) return { ok: false, reason: 'revoked' };
    if (found.expiresAt !== undefined && found.expiresAt <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, actor: found.actor };
  }
}
