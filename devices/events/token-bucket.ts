/**
 * Pacing of what a device sends, in lab time (a storm in virtual time is paced as in real time): a token
 * bucket of 20 a second with a burst of 40, the rate real senders cap notifications at.
 */
export const SEND_RATE = { perSecond: 20, burst: 40 } as const;

export class TokenBucket {
  #tokens: number = SEND_RATE.burst;
  #refilledAt = -Infinity;

  /** True when one more may go at lab time `now`. */
  take(now: number): boolean {
    const elapsed = now - this.#refilledAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(SEND_RATE.burst, this.#tokens + (elapsed / 1000) * SEND_RATE.perSecond);
      this.#refilledAt = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
