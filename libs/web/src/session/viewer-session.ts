import type { Viewer } from '../board.port';

declare module 'express-session' {
  interface SessionData {
    /** Who signed in: the same actor, role and homes a bearer token maps to. */
    viewer?: Viewer;
    /** While an OpenID Connect sign-in is in flight: what the callback must match. */
    oidc?: { state: string; nonce: string; codeVerifier: string };
    /** A confirmation for the next page, shown once. */
    notice?: string;
    /** The log position of this person's latest write: their reads wait for it. */
    lastWrite?: string;
  }
}

export {};
