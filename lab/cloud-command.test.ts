/** `lab cloud --rate-limit`: how the flag reads (cloud-command.ts). */
import { describe, expect, it } from 'vitest';
import { defaultRateLimit } from '#cloud';
import { rateLimitOf } from './cloud-command.ts';

describe('--rate-limit', () => {
  it('reads per-second rates with an optional burst; 0 is unlimited; absent is the default', () => {
    expect(rateLimitOf(undefined)).toEqual(defaultRateLimit);
    expect(rateLimitOf('5')).toEqual({ perSecond: 5, burst: 50 });
    expect(rateLimitOf('0.5/3')).toEqual({ perSecond: 0.5, burst: 3 });
    expect(rateLimitOf('0')).toBeNull();
  });

  it('refuses anything else, naming the value and the forms it takes', () => {
    for (const bad of ['fast', '-1', '10/0', '1/2/3', ''])
      expect(() => rateLimitOf(bad), bad).toThrow(/--rate-limit must be requests per second.*like 10 or 10\/100/);
  });
});
