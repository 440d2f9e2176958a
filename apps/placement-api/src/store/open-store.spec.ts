import { StoreUnavailableError, systemClock } from '@placement/event-store';
import { validateEnvironment } from '../config/environment';
import { openConfiguredStore } from './open-store';

describe('openConfiguredStore with EVENT_STORE=eventstoredb', () => {
  it('stops the start with the reason, here that nothing listens at the address', async () => {
    const env = validateEnvironment({
      EVENT_STORE: 'eventstoredb',
      ESDB_CONNECTION_STRING: 'esdb://placement-api:s3cret@127.0.0.1:1?tls=false',
      ESDB_STREAM_PREFIX: 'rmbc-placement-',
    });
    const failure = await openConfiguredStore(env, systemClock).then(
      () => new Error('expected the start to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(
      /^Cannot reach EventStoreDB at esdb:\/\/placement-api:\*\*\*@127\.0\.0\.1:1\?tls=false: 14 UNAVAILABLE/,
    );
    expect((failure as Error).message).not.toContain('s3cret');
  }, 60_000);
});
