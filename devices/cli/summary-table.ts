/**
 * The `License Usage:` table of `show license summary` (smart-licensing.md §4.3, §4.8): name padded to 24
 * (cut to 20 + `...` when it would not leave a space), `(tag)` from column 24 (cut to 22 + `...` inside
 * the brackets when longer than 25), count right-aligned at column 58, status from column 60. Columns
 * count from the table's indent.
 */
export interface SummaryRow {
  license: string;
  tag: string;
  count: number;
  status: string;
}

const NAME_WIDTH = 24;
const COUNT_END = 59;

const cut = (s: string, max: number, keep: number): string => (s.length > max ? `${s.slice(0, keep)}...` : s);

export function summaryRow(r: SummaryRow): string {
  const name = cut(r.license, NAME_WIDTH - 1, 20).padEnd(NAME_WIDTH);
  const tag = `(${cut(r.tag, 25, 22)})`;
  const count = String(r.count).padStart(Math.max(COUNT_END - NAME_WIDTH - tag.length, String(r.count).length + 1));
  return `${name}${tag}${count} ${r.status}`;
}

/** Header and 77-dash rule; the 16.9 classic capture writes `Entitlement tag`, SLP `Entitlement Tag`. */
export function summaryTable(rows: readonly SummaryRow[], indent: string, tagHeader = 'Entitlement tag'): string[] {
  return [
    `${indent}${'License'.padEnd(NAME_WIDTH)}${tagHeader.padEnd(30)}Count Status`,
    `${indent}${'-'.repeat(77)}`,
    ...rows.map((r) => indent + summaryRow(r)),
  ];
}
