import { validateEnvironment } from './environment';

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
});
