import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/index.ts';
import { LabClock } from '#lab';
import { RateLimiter } from './rate-limiter.ts';
import { MINUTE } from '#protocol';

function refusal(limiter: RateLimiter, id: string): DomainError | undefined {
  try {
    limiter.take(id);
    return undefined;
  } catch (err) {
    return err as DomainError;
  }
}

describe('RateLimiter', () => {
  it('lets a burst through, then refuses with the lab-time seconds to wait, and refills by the lab clock', async () => {
    const clock = LabClock.create({ mode: 'stepped' });
    const limiter = new RateLimiter(clock, { perSecond: 2, burst: 3 });
    for (let i = 0; i < 3; i++) expect(refusal(limiter, 'a')).toBeUndefined();
    const err = refusal(limiter, 'a')!;
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details).toEqual({ retryAfterSeconds: 1 });
    expect(err.message).toContain('2 requests/s (burst 3)');
    // Another client has its own bucket.
    expect(refusal(limiter, 'b')).toBeUndefined();
    await clock.advance(500);
    expect(refusal(limiter, 'a')).toBeUndefined();
    expect(refusal(limiter, 'a')?.code).toBe('RATE_LIMITED');
    await clock.advance(MINUTE);
    for (let i = 0; i < 3; i++) expect(refusal(limiter, 'a')).toBeUndefined();
  });

  it('asks slow limits to wait several seconds', () => {
    const limiter = new RateLimiter(LabClock.create({ mode: 'stepped' }), { perSecond: 0.1, burst: 1 });
    limiter.take('a');
    expect(refusal(limiter, 'a')?.details).toEqual({ retryAfterSeconds: 10 });
  });

  it('without a limit never refuses; clear() forgets the buckets', () => {
    const open = new RateLimiter(LabClock.create({ mode: 'stepped' }), null);
    for (let i = 0; i < 1_000; i++) open.take('a');
    const limiter = new RateLimiter(LabClock.create({ mode: 'stepped' }), { perSecond: 1, burst: 1 });
    limiter.take('a');
    limiter.clear();
    expect(refusal(limiter, 'a')).toBeUndefined();
  });
});
