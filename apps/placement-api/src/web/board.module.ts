import { randomBytes } from 'node:crypto';
import type { DynamicModule } from '@nestjs/common';
import { WebModule, type Viewer, type WebOptions } from '@placement/web';
import { DEMO_TOKENS } from '../auth/token-registry';
import { sessionPathOf, type Environment } from '../config/environment';
import { BoardAdapter } from './board-adapter';

/** The board's settings from the validated environment. */
export function webOptionsOf(env: Environment, demoManagerSettings: readonly string[]): WebOptions {
  const production = env.NODE_ENV === 'production';
  // Outside production, the four demo people are the demo tokens' actors, with the same homes.
  const demoViewers: Viewer[] | null = production
    ? null
    : Object.values(DEMO_TOKENS).map(({ actorId, role }) => ({
        id: actorId,
        role,
        settingIds: role === 'residential-manager' ? demoManagerSettings : [],
      }));
  return {
    production,
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionFile: sessionPathOf(env),
    sessionMaxAgeMinutes: env.SESSION_MAX_AGE_MINUTES,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET && env.OIDC_REDIRECT_URI
        ? {
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            redirectUri: env.OIDC_REDIRECT_URI,
            roleClaim: env.OIDC_ROLE_CLAIM,
            settingsClaim: env.OIDC_SETTINGS_CLAIM,
          }
        : null,
    demoViewers,
  };
}

/** The placement board at `/`, answered through the API's own route handlers (BoardAdapter). */
export function boardModule(env: Environment, demoManagerSettings: readonly string[]): DynamicModule {
  return WebModule.register(webOptionsOf(env, demoManagerSettings), BoardAdapter);
}
