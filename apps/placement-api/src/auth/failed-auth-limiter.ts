import { isIPv4, isIPv6 } from 'node:net';

/**
 * Who a failure is counted against. IPv4 (and IPv4-mapped IPv6): the address. Other IPv6: its
 * /64 network, since one host is routinely given a whole /64 and could otherwise take a fresh
 * address for every guess.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Counts failed authentications per client address in a sliding window. Only failures are
 * limited: a request with a valid token is served whatever its address has done, so one
 * failing client behind a shared address (a proxy, a NAT) never locks out its colleagues.
 * Failures while blocked count too, so a client that keeps guessing stays blocked.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 20,
    private readonly windowMs = 60_000,
  ) {}

  isBlocked(client: string, nowMs: number): boolean {
    return this.recent(clientKey(client), nowMs).length >= this.maxFailures;
  }

  recordFailure(client: string, nowMs: number): void {
    const key = clientKey(client);
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    // Only the newest maxFailures matter (blocked while the oldest of them is in the window), so a
    // client that keeps guessing while blocked stays blocked without growing the list.
    this.failures.set(key, recent.slice(-this.maxFailures));
    if (this.failures.size > 10_000) this.prune(nowMs);
  }

  retryAfterSeconds(client: string, nowMs: number): number {
    const oldest = this.recent(clientKey(client), nowMs)[0] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
  }

  private recent(client: string, nowMs: number): number[] {
    return (this.failures.get(client) ?? []).filter((t) => t > nowMs - this.windowMs);
  }

  private prune(nowMs: number): void {
    for (const [client] of this.failures) if (this.recent(client, nowMs).length === 0) this.failures.delete(client);
  }
}
