import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { csrfSync } from 'csrf-sync';

/** The hidden field every form carries. */
export const CSRF_FIELD = '_csrf';

function sameToken(sent: string, kept: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(kept);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The synchroniser-token pattern (csrf-sync): a random token kept in the session, sent back in
 * every form's hidden `_csrf` field, checked on every POST. The library compares with `===`;
 * the submitted token is compared here in constant time first, and only a match is handed on.
 */
export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const sent: unknown = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const kept = req.session?.csrfToken;
    return typeof sent === 'string' && typeof kept === 'string' && sameToken(sent, kept) ? kept : undefined;
  },
  errorConfig: {
    statusCode: 403,
    message: 'The form has expired or did not come from this service',
    code: 'EBADCSRFTOKEN',
  },
});
