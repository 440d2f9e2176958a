import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './roles';
import { parseApiTokens, parseRevokedDigests } from './token-config';

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

/**
 * Tokens are held only as SHA-256 digests and compared with timingSafeEqual against
 * every entry (no early exit), so response time says nothing about how close a guess was.
 * A malformed entry in API_TOKENS or REVOKED_TOKEN_SHA256 throws TokenConfigError naming its
 * position: it is never skipped, since a skipped revocation would leave a leaked token working.
 */
export class TokenRegistry {
  private readonly entries: TokenEntry[] = [];
  private readonly revoked: Buffer[];

  constructor(options: {
    configuredJson?: string;
    revokedHex?: string;
    demo?: { managerSettingIds: readonly string[] };
  }) {
    for (const token of parseApiTokens(options.configuredJson)) {
      this.entries.push({
        digest: Buffer.from(token.sha256, 'hex'),
        actor: { id: token.actorId, role: token.role, settingIds: token.settingIds },
        expiresAt: token.expiresAt,
      });
    }
    if (options.demo) {
      for (const [token, { actorId, role }] of Object.entries(DEMO_TOKENS)) {
        const settingIds = role === 'residential-manager' ? options.demo.managerSettingIds : [];
        this.entries.push({ digest: sha256(token), actor: { id: actorId, role, settingIds } });
      }
    }
    this.revoked = parseRevokedDigests(options.revokedHex).map((s) => Buffer.from(s, 'hex'));
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
