import { describe, expect, it } from 'vitest';
import {
  formatCoarse,
  formatRemaining,
  formatShowClock,
  formatShowDate,
  formatSyslogTimestamp,
  UTC,
} from './ios-time.ts';
import { MINUTE, HOUR, DAY } from '#protocol';

const T = Date.UTC(2024, 2, 13, 8, 9, 24, 133); // Wed Mar 13 2024 08:09:24.133 UTC
const EST = { name: 'EST', offsetMinutes: -300 };

describe('formatShowDate', () => {
  it('prints `Mar 13 08:09:24 2024 UTC`, day zero-padded (§4)', () => {
    expect(formatShowDate(T)).toBe('Mar 13 08:09:24 2024 UTC');
    expect(formatShowDate(Date.UTC(2024, 0, 5, 1, 2, 3))).toBe('Jan 05 01:02:03 2024 UTC');
  });

  it('shifts into the zone, across midnight and year ends', () => {
    expect(formatShowDate(Date.UTC(2025, 0, 1, 3, 0, 0), EST)).toBe('Dec 31 22:00:00 2024 EST');
  });
});

describe('formatShowClock', () => {
  it('prints `*08:09:24.133 UTC Wed Mar 13 2024`, `*` only while not authoritative', () => {
    expect(formatShowClock(T, UTC, false)).toBe('*08:09:24.133 UTC Wed Mar 13 2024');
    expect(formatShowClock(T, UTC, true)).toBe('08:09:24.133 UTC Wed Mar 13 2024');
    expect(formatShowClock(Date.UTC(1993, 2, 1), UTC, false)).toBe('*00:00:00.000 UTC Mon Mar 1 1993');
  });
});

describe('formatSyslogTimestamp', () => {
  it('space-pads the day and prints msec by default (§5.1)', () => {
    expect(formatSyslogTimestamp(Date.UTC(1993, 2, 1, 0, 0, 42, 133), UTC, { authoritative: false })).toBe(
      '*Mar  1 00:00:42.133',
    );
    expect(formatSyslogTimestamp(T, UTC, { authoritative: true })).toBe('Mar 13 08:09:24.133');
  });

  it('follows msec, year and show-timezone', () => {
    expect(formatSyslogTimestamp(T, UTC, { authoritative: true, msec: false })).toBe('Mar 13 08:09:24');
    expect(formatSyslogTimestamp(T, UTC, { authoritative: true, year: true })).toBe('Mar 13 2024 08:09:24.133');
    expect(formatSyslogTimestamp(T, EST, { authoritative: true, showTimezone: true })).toBe('Mar 13 03:09:24.133 EST');
    expect(formatSyslogTimestamp(T, UTC, { authoritative: false, msec: false, year: true, showTimezone: true })).toBe(
      '*Mar 13 2024 08:09:24 UTC',
    );
  });
});

describe('formatRemaining', () => {
  it('prints days, hours, minutes, seconds with IOS plurals (§4.3)', () => {
    const ms = ((71 * 24 + 22) * 3600 + 60 + 59) * 1000 + 999;
    expect(formatRemaining(ms)).toBe('71 days, 22 hours, 1 minutes, 59 seconds');
  });

  it('counts negative time as zero', () => {
    expect(formatRemaining(-5000)).toBe('0 days, 0 hours, 0 minutes, 0 seconds');
  });
});

describe('formatCoarse', () => {
  it('prints the largest whole unit', () => {
    expect(formatCoarse(30 * DAY)).toBe('30 days');
    expect(formatCoarse(DAY - 1)).toBe('23 hours');
    expect(formatCoarse(HOUR)).toBe('1 hours');
    expect(formatCoarse(HOUR - 1)).toBe('59 minutes');
    expect(formatCoarse(59_999)).toBe('0 minutes');
    expect(formatCoarse(-1)).toBe('0 minutes');
  });
});

describe('calendar arithmetic', () => {
  it('agrees with Date from 1900 to 2100 (every ~11 days, shifting time of day) across zones', () => {
    const zones = [UTC, EST, { name: 'IST', offsetMinutes: 330 }, { name: 'NZDT', offsetMinutes: 780 }];
    const mismatches: string[] = [];
    for (let t = Date.UTC(1900, 0, 1); t < Date.UTC(2100, 0, 1); t += 11 * DAY + 3_723_456) {
      for (const tz of zones) {
        const d = new Date(t + tz.offsetMinutes * MINUTE);
        const expected = `${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()} ${tz.name}`;
        const got = formatShowDate(t, tz);
        if (got !== expected) mismatches.push(`${t} ${tz.name}: ${got} != ${expected}`);
      }
      const weekday = formatShowClock(t, UTC, true).split(' ')[2];
      if (weekday !== new Date(t).toUTCString().slice(0, 3)) mismatches.push(`${t}: weekday ${weekday}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('gets leap days and century years right', () => {
    expect(formatShowDate(Date.UTC(2000, 1, 29, 23, 59, 59))).toBe('Feb 29 23:59:59 2000 UTC');
    expect(formatShowDate(Date.UTC(1900, 1, 28) + DAY)).toBe('Mar 01 00:00:00 1900 UTC');
    expect(formatShowDate(Date.UTC(2024, 1, 29, 12))).toBe('Feb 29 12:00:00 2024 UTC');
    expect(formatShowDate(Date.UTC(1969, 11, 31, 23, 59, 59))).toBe('Dec 31 23:59:59 1969 UTC');
  });
});

describe('fractional milliseconds', () => {
  it('are cut to whole milliseconds, never printed', () => {
    expect(formatSyslogTimestamp(Date.UTC(2026, 11, 2, 1, 1, 13, 17) + 0.144, UTC, { authoritative: false })).toBe(
      '*Dec  2 01:01:13.017',
    );
    expect(formatShowDate(Date.UTC(2026, 2, 13, 8, 9, 24) + 999.9)).toBe('Mar 13 08:09:24 2026 UTC');
  });
});
