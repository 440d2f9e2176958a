/**
 * Counts failed authentications per client address in a sliding window, so a token
 * cannot be guessed at speed. Successful requests are never limited by it.
 */
export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly maxFailures = 20, private readonly windowMs = 60_000) {}

  isBlocked(client: string, nowMs: number): boolean {
    return this.recent(client, nowMs).length >= this.maxFailures;
  }

  recordFailure(client: string, nowMs: number): void {
    const recent = this.recent(client, nowMs);
    recent.push(nowMs);
    this.failures.set(client, recent);
    if (this.failures.size > 10_000) this.prune(nowMs);
  }

  retryAfterSeconds(client: string, nowMs: number): number {
    const oldest = this.recent(client, nowMs)[0] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
  }

  private recent(client: string, nowMs: number): number[] {
    return (this.failures.get(client) ?? []).filter((t) => t > nowMs - this.windowMs);
  }

  private prune(nowMs: number): void {
    for (const [client] of this.failures) if (this.recent(client, nowMs).length === 0) this.failures.delete(client);
  }
}
