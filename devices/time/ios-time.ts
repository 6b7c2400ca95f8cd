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

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad3 = (n: number): string => String(n).padStart(3, '0');

/** Calendar fields of `t` in zone `tz`. */
function fields(t: number, tz: Timezone) {
  const d = new Date(t + tz.offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: MONTHS[d.getUTCMonth()]!,
    day: d.getUTCDate(),
    weekday: DAYS[d.getUTCDay()]!,
    hh: pad2(d.getUTCHours()),
    mm: pad2(d.getUTCMinutes()),
    ss: pad2(d.getUTCSeconds()),
    ms: pad3(d.getUTCMilliseconds()),
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
  const day = String(f.day).padStart(2, ' ');
  const time = `${f.hh}:${f.mm}:${f.ss}${options.msec === false ? '' : `.${f.ms}`}`;
  return `${options.authoritative ? '' : '*'}${f.month} ${day}${options.year ? ` ${f.year}` : ''} ${time}${options.showTimezone ? ` ${tz.name}` : ''}`;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

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
