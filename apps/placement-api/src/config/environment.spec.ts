import { sessionPathOf, trustProxyOf, validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      PORT: 3000,
      EVENT_STORE: 'sqlite',
      SQLITE_PATH: './data/events.db',
      NODE_ENV: 'development',
      SEED_DEMO_ESTATE: true,
    });
  });

  it('reads numbers and booleans from strings', () => {
    const env = validateEnvironment({ PORT: '8080', SEED_DEMO_ESTATE: 'false', MAX_BODY_BYTES: '2048' });
    expect(env).toMatchObject({ PORT: 8080, SEED_DEMO_ESTATE: false, MAX_BODY_BYTES: 2048 });
  });

  it('refuses a wrong value with one message naming the variable', () => {
    expect(() => validateEnvironment({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => validateEnvironment({ EVENT_STORE: 'postgres' })).toThrow(/EVENT_STORE/);
  });

  it('needs a connection string for EventStoreDB and real tokens in production', () => {
    expect(() => validateEnvironment({ EVENT_STORE: 'eventstoredb' })).toThrow(/ESDB_CONNECTION_STRING/);
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/API_TOKENS/);
  });

  it("takes the board's OpenID Connect settings all together or not at all, and https in production", () => {
    const oidc = {
      OIDC_ISSUER: 'https://login.council.example',
      OIDC_CLIENT_ID: 'placement-board',
      OIDC_CLIENT_SECRET: 's3cret',
      OIDC_REDIRECT_URI: 'https://board.council.example/sign-in/callback',
    };
    expect(validateEnvironment(oidc)).toMatchObject({
      ...oidc,
      OIDC_ROLE_CLAIM: 'roles',
      OIDC_SETTINGS_CLAIM: 'setting_ids',
    });
    expect(() => validateEnvironment({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(
      /OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI: required with OIDC_ISSUER/,
    );
    expect(() => validateEnvironment({ ...oidc, OIDC_ISSUER: 'login.council' })).toThrow(/OIDC_ISSUER/);
    const production = { NODE_ENV: 'production', API_TOKENS: '[]', SESSION_SECRET: 'x'.repeat(32) };
    expect(() => validateEnvironment({ ...production, ...oidc, OIDC_ISSUER: 'http://login.council.example' })).toThrow(
      /OIDC_ISSUER must be https in production/,
    );
  });

  it("reads the board's session lifetime and claim names, and refuses ones out of bounds", () => {
    expect(validateEnvironment({})).toMatchObject({ SESSION_MAX_AGE_MINUTES: 480 });
    const env = validateEnvironment({
      SESSION_MAX_AGE_MINUTES: '60',
      SESSION_PATH: '/var/lib/placements/sessions.db',
      OIDC_ROLE_CLAIM: 'https://council.example/roles',
      OIDC_SETTINGS_CLAIM: 'homes',
    });
    expect(env).toMatchObject({
      SESSION_MAX_AGE_MINUTES: 60,
      SESSION_PATH: '/var/lib/placements/sessions.db',
      OIDC_ROLE_CLAIM: 'https://council.example/roles',
      OIDC_SETTINGS_CLAIM: 'homes',
    });
    expect(sessionPathOf(validateEnvironment({ SQLITE_PATH: '/data/events.db' }))).toBe('/data/sessions.db');
    expect(() => validateEnvironment({ SESSION_MAX_AGE_MINUTES: '2' })).toThrow(/SESSION_MAX_AGE_MINUTES/);
    expect(() => validateEnvironment({ SESSION_MAX_AGE_MINUTES: '1441' })).toThrow(/SESSION_MAX_AGE_MINUTES/);
    expect(() => validateEnvironment({ SESSION_MAX_AGE_MINUTES: 'a day' })).toThrow(/SESSION_MAX_AGE_MINUTES/);
    expect(() => validateEnvironment({ OIDC_ROLE_CLAIM: 'roles; drop' })).toThrow(/OIDC_ROLE_CLAIM/);
    expect(() => validateEnvironment({ OIDC_REDIRECT_URI: 'board/sign-in/callback' })).toThrow(/OIDC_REDIRECT_URI/);
  });

  it('needs a session secret of 32 characters or more in production, and never prints it', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', API_TOKENS: '[]' })).toThrow(
      /SESSION_SECRET is required/,
    );
    let message = '';
    try {
      validateEnvironment({ SESSION_SECRET: 'short-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SESSION_SECRET must be at least 32 characters');
    expect(message).not.toContain('short-secret-value');
  });

  it('stops on a malformed API_TOKENS entry, naming its position and the rule, never its value', () => {
    const good = { sha256: 'a'.repeat(64), actorId: 'po-1', role: 'placement-officer' };
    const tokens = JSON.stringify([
      good,
      { sha256: 'my-plain-secret-token', actorId: 'po-2', role: 'placement-officer' },
      { sha256: 'b'.repeat(64), actorId: 'rm-1', role: 'residential-manager' },
      { ...good, actorId: 'po-3' },
      { sha256: 'c'.repeat(64), actorId: 'x', role: 'admin', token: 'another-plain-secret', expiresAt: 'soon' },
    ]);
    let message = '';
    try {
      validateEnvironment({ API_TOKENS: tokens });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n').slice(1)).toEqual([
      '  API_TOKENS entry 2 of 5: sha256 must be the SHA-256 digest of the token (64 hex digits), ' +
        'never the token itself',
      '  API_TOKENS entry 3 of 5: a residential-manager needs settingIds: the homes they keep',
      '  API_TOKENS entry 4 of 5: has the same sha256 as entry 1 (one token, one actor)',
      '  API_TOKENS entry 5 of 5: unknown field "token" (allowed: sha256, actorId, role, settingIds, expiresAt)',
      '  API_TOKENS entry 5 of 5: expiresAt must be an ISO-8601 date-time with a zone, such as 2027-03-31T23:59:59Z',
    ]);
    expect(message).not.toContain('plain-secret');
    expect(() => validateEnvironment({ API_TOKENS: '[{"sha256": "my-plain-secret' })).toThrow(
      /API_TOKENS is not valid JSON/,
    );
    expect(() => validateEnvironment({ API_TOKENS: '[{"sha256": "my-plain-secret' })).not.toThrow(/plain-secret/);
  });

  it('stops on a malformed REVOKED_TOKEN_SHA256 entry instead of ignoring it', () => {
    const ok = 'd'.repeat(64);
    expect(validateEnvironment({ REVOKED_TOKEN_SHA256: ` ${ok} , ${'e'.repeat(64)},` }).REVOKED_TOKEN_SHA256).toBe(
      ` ${ok} , ${'e'.repeat(64)},`,
    );
    expect(() => validateEnvironment({ REVOKED_TOKEN_SHA256: `${ok},the-leaked-token` })).toThrow(
      /REVOKED_TOKEN_SHA256 entry 2 of 2 is not a SHA-256 digest/,
    );
    expect(() => validateEnvironment({ REVOKED_TOKEN_SHA256: `${ok},the-leaked-token` })).not.toThrow(/leaked/);
    expect(() => validateEnvironment({ REVOKED_TOKEN_SHA256: `${ok},,${ok}` })).toThrow(/entry 2 of 3/);
    expect(() => validateEnvironment({ REVOKED_TOKEN_SHA256: ok.slice(1) })).toThrow(/entry 1 of 1/);
  });

  it('reads TRUST_PROXY as Express trust proxy: off, a hop count or the proxies; never "trust everyone"', () => {
    expect(trustProxyOf(validateEnvironment({}))).toBe(false);
    expect(trustProxyOf(validateEnvironment({ TRUST_PROXY: 'false' }))).toBe(false);
    expect(trustProxyOf(validateEnvironment({ TRUST_PROXY: '2' }))).toBe(2);
    expect(trustProxyOf(validateEnvironment({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }))).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::1',
    ]);
    expect(() => validateEnvironment({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust every/);
    expect(() => validateEnvironment({ TRUST_PROXY: '11' })).toThrow(/TRUST_PROXY: a hop count must be 0–10/);
    expect(() => validateEnvironment({ TRUST_PROXY: '10.0.0.1,proxy.council.local' })).toThrow(
      /TRUST_PROXY: entry 2 of 2 is not an address/,
    );
    expect(() => validateEnvironment({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY: entry 1 of 1/);
  });
});

describe('booleans', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ])('read %s as %s', (raw, expected) => {
    expect(validateEnvironment({ SEED_DEMO_ESTATE: raw }).SEED_DEMO_ESTATE).toBe(expected);
  });

  it.each(['yes', 'no', 'ture', 'on', 'off', 'y'])('refuse the misspelt %s at start-up, naming the variable', (raw) => {
    expect(() => validateEnvironment({ SEED_DEMO_ESTATE: raw })).toThrow(
      `SEED_DEMO_ESTATE must be true or false (or 1 or 0), got "${raw}"`,
    );
  });
});

describe('the EventStoreDB stream prefix and the readiness bound', () => {
  it('default to placement- and 30 s', () => {
    expect(validateEnvironment({})).toMatchObject({
      ESDB_STREAM_PREFIX: 'placement-',
      READY_MAX_PROJECTION_LAG_SECONDS: 30,
    });
  });

  it('refuse a system-stream prefix and a bound below one second', () => {
    expect(() => validateEnvironment({ ESDB_STREAM_PREFIX: '$ce-' })).toThrow(/ESDB_STREAM_PREFIX/);
    expect(() => validateEnvironment({ ESDB_STREAM_PREFIX: 'has space' })).toThrow(/ESDB_STREAM_PREFIX/);
    expect(() => validateEnvironment({ READY_MAX_PROJECTION_LAG_SECONDS: '0' })).toThrow(
      /READY_MAX_PROJECTION_LAG_SECONDS/,
    );
  });
});
