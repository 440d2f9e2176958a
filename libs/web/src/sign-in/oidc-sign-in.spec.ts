import type { IdTokenClaims } from 'openid-client';
import { SignInRefused, viewerOf } from './oidc-sign-in';

const options = { roleClaim: 'roles', settingsClaim: 'setting_ids' };
const claims = (extra: Record<string, unknown>) =>
  ({ sub: 'staff-42', iss: 'https://idp', aud: 'board', exp: 0, iat: 0, ...extra }) as IdTokenClaims;

describe('viewerOf (who signed in, from the ID token)', () => {
  it('takes the role from the configured claim, and a manager their homes', () => {
    expect(viewerOf(claims({ roles: ['placement-officer', 'staff'] }), options)).toEqual({
      id: 'staff-42',
      role: 'placement-officer',
      settingIds: [],
    });
    expect(viewerOf(claims({ roles: 'residential-manager', setting_ids: ['rmbc-ch-01', 'bad id!'] }), options)).toEqual(
      {
        id: 'staff-42',
        role: 'residential-manager',
        settingIds: ['rmbc-ch-01'],
      },
    );
  });

  it('refuses no role, two roles, or a manager without homes, never guessing', () => {
    expect(() => viewerOf(claims({}), options)).toThrow(SignInRefused);
    expect(() => viewerOf(claims({ roles: ['auditor', 'admin'] }), options)).toThrow(/exactly one of the roles/);
    expect(() => viewerOf(claims({ roles: 'residential-manager' }), options)).toThrow(/setting_ids/);
  });

  it('gives homes only to a residential manager', () => {
    expect(viewerOf(claims({ roles: 'auditor', setting_ids: ['rmbc-ch-01'] }), options).settingIds).toEqual([]);
  });
});
