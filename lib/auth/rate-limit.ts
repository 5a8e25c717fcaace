/**
 * Sign-in attempts allowed per key (an account, an address) in a sliding window. Kept in the
 * process: behind several instances each counts its own share, which still bounds guessing.
 */
export class RateLimiter {
  private hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt; returns the seconds to wait if the key is over its limit. */
  attempt(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfter: number } {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { allowed: false, retryAfter: Math.ceil((recent[0]! + this.windowMs - now) / 1000) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.prune(now);
    return { allowed: true };
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(now: number) {
    for (const [key, times] of this.hits) if (!times.some((t) => t > now - this.windowMs)) this.hits.delete(key);
  }
}

export const signInLimits = {
  perAccount: new RateLimiter(5, 15 * 60_000),
  perAddress: new RateLimiter(20, 15 * 60_000),
};
