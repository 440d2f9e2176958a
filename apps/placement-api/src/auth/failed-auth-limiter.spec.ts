import { clientKey, FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  it('blocks a client at its 20th failure within the window, and only that client', () => {
    const limiter = new FailedAuthLimiter(20, 60_000);
    for (let i = 0; i < 19; i++) limiter.recordFailure('10.0.0.1', 1_000 + i);
    expect(limiter.isBlocked('10.0.0.1', 2_000)).toBe(false);
    limiter.recordFailure('10.0.0.1', 2_000);
    expect(limiter.isBlocked('10.0.0.1', 2_001)).toBe(true);
    expect(limiter.isBlocked('10.0.0.2', 2_001)).toBe(false);
    expect(limiter.retryAfterSeconds('10.0.0.1', 2_001)).toBe(59);
    // The window slides: the oldest failures age out a minute after they happened.
    expect(limiter.isBlocked('10.0.0.1', 61_001)).toBe(false);
  });

  it('keeps a client that goes on failing while blocked blocked, until it stops for a whole window', () => {
    const limiter = new FailedAuthLimiter(3, 60_000);
    for (const t of [0, 10_000, 20_000]) limiter.recordFailure('10.0.0.1', t);
    expect(limiter.isBlocked('10.0.0.1', 30_000)).toBe(true);
    // Still failing at 50 s and 70 s: the block outlives the first failure's window.
    limiter.recordFailure('10.0.0.1', 50_000);
    limiter.recordFailure('10.0.0.1', 70_000);
    expect(limiter.isBlocked('10.0.0.1', 75_000)).toBe(true);
    // The three newest failures are 20 s, 50 s and 70 s: free again a minute after the 20 s one.
    expect(limiter.retryAfterSeconds('10.0.0.1', 75_000)).toBe(5);
    for (let i = 0; i < 1_000; i++) limiter.recordFailure('10.0.0.1', 80_000);
    expect(limiter.retryAfterSeconds('10.0.0.1', 80_000)).toBe(60);
    expect(limiter.isBlocked('10.0.0.1', 139_999)).toBe(true);
    expect(limiter.isBlocked('10.0.0.1', 140_001)).toBe(false);
  });

  it('counts an IPv6 host by its /64, so rotating addresses inside it does not reset the count', () => {
    const limiter = new FailedAuthLimiter(20, 60_000);
    for (let i = 0; i < 20; i++) limiter.recordFailure(`2001:db8:1:2::${(i + 1).toString(16)}`, 1_000);
    expect(limiter.isBlocked('2001:db8:1:2:ffff:ffff:ffff:ffff', 1_001)).toBe(true);
    expect(limiter.isBlocked('2001:db8:1:3::1', 1_001)).toBe(false);
  });

  it('reads IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
    expect(clientKey('2001:0db8:0001:0002:0000:0000:0000:0001')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('unknown')).toBe('unknown');
  });
});
