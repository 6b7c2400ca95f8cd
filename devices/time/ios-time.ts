import { MINUTE, HOUR, DAY } from '#protocol';
/**
 * How IOS prints time. Show commands: `Mar 13 08:09:24 2024 UTC` (day zero-padded, smart-licensing.md §4).
 * Syslog: `*Mar  1 00:00:42.133:` style (day space-padded, §5.1). Durations:
 * `71 days, 22 hours, 1 minutes, 59 seconds` (show license summary, §4.3).
 */
export interface Timezone {
  name: string;
  /** Minutes east of UTC (`clock timezone EST -5` is -300). */
  offsetMinutes: number;
}

export const UTC: Timezone = { name: 'UTC', offsetMinutes: 0 };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/**
 * Calendar fields of `t` in zone `tz`, by integer arithmetic (H. Hinnant's civil_from_days): every
 * syslog line of every device comes through here, and a Date object per call costs several times more.
 */
function fields(t: number, tz: Timezone) {
  // Whole milliseconds: a scaled lab clock may hand out fractions.
  const local = Math.floor(t) + tz.offsetMinutes * MINUTE;
  const days = Math.floor(local / DAY);
  const msOfDay = local - days * DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const seconds = Math.floor(msOfDay / 1000);
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month: MONTHS[month - 1]!,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    // 1970-01-01 was a Thursday.
    weekday: DAYS[(((days + 4) % 7) + 7) % 7]!,
    hh: pad2(Math.floor(seconds / 3600)),
    mm: pad2(Math.floor(seconds / 60) % 60),
    ss: pad2(seconds % 60),
    ms: pad3(msOfDay % 1000),
  };
}

/** `Mar 13 08:09:24 2024 UTC` (show license status / summary / all). */
export function formatShowDate(t: number, tz: Timezone = UTC): string {
  const f = fields(t, tz);
  return `${f.month} ${pad2(f.day)} ${f.hh}:${f.mm}:${f.ss} ${f.year} ${tz.name}`;
}

/** `*08:09:24.133 UTC Wed Mar 13 2024` (show clock); `*` while the clock is not authoritative. */
export function formatShowClock(t: number, tz: Timezone, authoritative: boolean): string {
  const f = fields(t, tz);
  return `${authoritative ? '' : '*'}${f.hh}:${f.mm}:${f.ss}.${f.ms} ${tz.name} ${f.weekday} ${f.month} ${f.day} ${f.year}`;
}

/**
 * Syslog timestamp as `service timestamps log datetime msec` prints it: `*Mar  1 00:00:42.133` (no
 * trailing colon). `year` and `showTimezone` follow the matching keywords of that command.
 */
export function formatSyslogTimestamp(
  t: number,
  tz: Timezone,
  options: { authoritative: boolean; msec?: boolean; year?: boolean; showTimezone?: boolean },
): string {
  const f = fields(t, tz);
  const day = f.day < 10 ? ` ${f.day}` : String(f.day);
  const time = `${f.hh}:${f.mm}:${f.ss}${options.msec === false ? '' : `.${f.ms}`}`;
  return `${options.authoritative ? '' : '*'}${f.month} ${day}${options.year ? ` ${f.year}` : ''} ${time}${options.showTimezone ? ` ${tz.name}` : ''}`;
}

/** `71 days, 22 hours, 1 minutes, 59 seconds` (plural kept as IOS prints it). Negative counts as 0. */
export function formatRemaining(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  return `${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds`;
}

/** The coarse `<time>` of warnings: `30 days`, `23 hours`, `59 minutes` (largest whole unit). */
export function formatCoarse(ms: number): string {
  if (ms >= DAY) return `${Math.floor(ms / DAY)} days`;
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)} hours`;
  return `${Math.max(0, Math.floor(ms / MINUTE))} minutes`;
}
