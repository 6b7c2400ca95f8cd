import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['1h30m', 90 * 60_000],
    ['500ms', 500],
    ['2w', 14 * 86_400_000],
    ['1.5s', 1500],
    [' 30m ', 1_800_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '10', 'd', '5 d', '3x', '1h30', '-5m'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
