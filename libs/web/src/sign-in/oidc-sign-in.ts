import { custom, generators, Issuer, type BaseClient, type IdTokenClaims } from 'openid-client';
import type { Viewer, ViewerRole } from '../board.port';
import type { OidcOptions } from '../web-options';

const ROLES: readonly ViewerRole[] = ['placement-officer', 'residential-manager', 'auditor', 'admin'];
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** What a sign-in could not accept, in words safe for the page and the log (never a claim's value). */
export class SignInRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRefused';
  }
}

/**
 * OpenID Connect with the council's identity provider (openid-client 5: it loads under jest's
 * CommonJS; version 6 is ESM only): the authorisation code flow with PKCE, state and nonce. The
 * provider is discovered on first use, so the service starts while the provider is down.
 */
export class OidcSignIn {
  private client: Promise<BaseClient> | null = null;

  constructor(private readonly options: OidcOptions) {
    custom.setHttpOptionsDefaults({ timeout: 10_000 });
  }

  /** Where to send the browser, and what the callback must match (kept in the session meanwhile). */
  async start(): Promise<{ url: string; pending: { state: string; nonce: string; codeVerifier: string } }> {
    const client = await this.discovered();
    const pending = { state: generators.state(), nonce: generators.nonce(), codeVerifier: generators.codeVerifier() };
    const url = client.authorizationUrl({
      scope: 'openid profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: generators.codeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, pending };
  }

  /** Exchanges the code, checks the ID token, and reads who this is and what they may do. */
  async finish(callbackUrl: string, pending: { state: string; nonce: string; codeVerifier: string }): Promise<Viewer> {
    const client = await this.discovered();
    const params = client.callbackParams(callbackUrl);
    const tokens = await client.callback(this.options.redirectUri, params, {
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.codeVerifier,
    });
    return viewerOf(tokens.claims(), this.options);
  }

  private discovered(): Promise<BaseClient> {
    this.client ??= Issuer.discover(this.options.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
          redirect_uris: [this.options.redirectUri],
          response_types: ['code'],
        }),
    );
    // A provider that was down is asked again next time, not remembered as down.
    this.client.catch(() => (this.client = null));
    return this.client;
  }
}

/** The person, role and homes from the ID token's claims; anything unexpected refuses the sign-in. */
export function viewerOf(claims: IdTokenClaims, options: Pick<OidcOptions, 'roleClaim' | 'settingsClaim'>): Viewer {
  const raw = claims[options.roleClaim];
  const candidates = (Array.isArray(raw) ? raw : [raw]).filter((r): r is ViewerRole => ROLES.includes(r as ViewerRole));
  if (candidates.length !== 1)
    throw new SignInRefused(
      `The identity provider must give exactly one of the roles in the ${options.roleClaim} claim`,
    );
  const role = candidates[0];
  const homes = claims[options.settingsClaim];
  const settingIds = Array.isArray(homes) ? homes.filter((h): h is string => typeof h === 'string' && ID.test(h)) : [];
  if (role === 'residential-manager' && settingIds.length === 0)
    throw new SignInRefused(`A residential manager needs their homes in the ${options.settingsClaim} claim`);
  return { id: claims.sub, role, settingIds: role === 'residential-manager' ? settingIds : [] };
}
