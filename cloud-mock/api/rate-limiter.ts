/**
 * Per-client rate limits of the management API and the token endpoints: a token bucket per API client
 * (client id), refilled by the lab clock, so a stepped lab refills only when its time moves. Cisco's
 * gateway answers 429 with Retry-After (cssm-api.md §1.4); the figures here are the lab's choice.
 */
import type { Clock } from '#protocol';
import { fail } from '../domain/index.ts';

export interface RateLimit {
  /** Sustained requests per second per client. */
  perSecond: number;
  /** Requests a client may send at once before the sustained rate applies. */
  burst: number;
}

export const defaultRateLimit: RateLimit = { perSecond: 10, burst: 100 };

/** Buckets beyond this many clients are forgotten (oldest first): a flood of client ids cannot grow memory. */
const MAX_BUCKETS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly limit: RateLimit | null;
  private readonly clock: Clock;

  /** `null`: no limit. */
  constructor(clock: Clock, limit: RateLimit | null = defaultRateLimit) {
    this.clock = clock;
    this.limit = limit;
  }

  /** Takes one request from the client's bucket, or refuses with RATE_LIMITED and the seconds to wait. */
  take(clientId: string): void {
    if (!this.limit) return;
    const { perSecond, burst } = this.limit;
    const now = this.clock.now();
    const bucket = this.buckets.get(clientId) ?? { tokens: burst, at: now };
    this.buckets.delete(clientId);
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(clientId, bucket);
    if (this.buckets.size > MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
    fail(
      'RATE_LIMITED',
      `API client ${clientId.slice(0, 128)} is over its limit of ${perSecond} requests/s (burst ${burst}); retry after ${retryAfterSeconds} s of lab time`,
      { retryAfterSeconds },
    );
  }

  clear(): void {
    this.buckets.clear();
  }
}
