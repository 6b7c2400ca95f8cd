/** `show version` uptime: `5 weeks, 18 hours, 5 minutes` (zero units left out, singular for 1; year = 365 days). */
const UNITS: readonly [string, number][] = [
  ['year', 365 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
];

export function formatUptime(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const n = Math.floor(s / size);
    s -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length ? parts.join(', ') : '0 minutes';
}
