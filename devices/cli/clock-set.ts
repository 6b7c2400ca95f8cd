/**
 * `clock set hh:mm:ss <1-31> MONTH <1993-2035>` (either day or month first, as IOS accepts). The time is
 * read in the configured time zone.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';
import { MINUTE } from '#protocol';

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** The one month a (case-insensitive) prefix names, or undefined (`Ma` is March or May). */
export function acceptMonth(token: string): string | undefined {
  const t = token.toLowerCase();
  const hits = MONTHS.filter((m) => m.toLowerCase().startsWith(t));
  return hits.length === 1 ? hits[0] : undefined;
}

export function acceptTime(token: string): string | undefined {
  const m = /^(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(token);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 59) return undefined;
  return token;
}

export function clockSet(ctx: CommandContext): string {
  const { time = '', day = '', month = '', year = '' } = ctx.args;
  const [h, m, s] = time.split(':').map(Number) as [number, number, number];
  const monthIndex = MONTHS.indexOf(month as (typeof MONTHS)[number]);
  const lastDay = new Date(Date.UTC(Number(year), monthIndex + 1, 0)).getUTCDate();
  if (Number(day) > lastDay) return `% Invalid day ${day} for ${month} ${year}: valid days are 1-${lastDay}\n`;
  const local = Date.UTC(Number(year), monthIndex, Number(day), h, m, s);
  return printAction(ctx.device.setClock(local - ctx.view.clock.timezone.offsetMinutes * MINUTE));
}
