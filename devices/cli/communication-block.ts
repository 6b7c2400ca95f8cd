/**
 * One message type's block of tech-support `Communication Statistics` (smart-licensing.md §4.10; every
 * type uses this format), shared by the classic and SLP tech-support. `Attempts:` is printed when the
 * agent counts attempts (SLP); the classic view holds only the last attempt, so its blocks leave it out.
 */
import type { MessageStats } from '../licensing/slp-record.ts';
import type { DateOf } from './smart-blocks.ts';

export type ExchangeStats = Partial<Pick<MessageStats, 'last' | 'lastSuccessAt' | 'lastFailureAt'>> & {
  counters?: Pick<MessageStats, 'total' | 'success' | 'fail' | 'ongoing' | 'ongoingComm'>;
};

export const headerLines = (level: 'DIRECT' | 'INDIRECT', overall: string): string[] => [
  'Communication Statistics:',
  '=======================',
  `Communication Level Allowed: ${level}`,
  `Overall State: ${overall}`,
];

export function exchangeLines(name: string, s: ExchangeStats, date: DateOf): string[] {
  const when = (t: number | undefined) => (t === undefined ? '<none>' : date(t));
  const c = s.counters;
  return [
    `${name}:`,
    ...(c
      ? [
          `  Attempts: Total=${c.total}, Success=${c.success}, Fail=${c.fail}  Ongoing Failure: Overall=${c.ongoing} Communication=${c.ongoingComm}`,
        ]
      : []),
    `  Last Response: ${s.last ? `${s.last.response} on ${date(s.last.at)}` : '<none>'}`,
    `    Failure Reason: ${s.last?.reason ?? '<none>'}`,
    `  Last Success Time: ${when(s.lastSuccessAt)}`,
    `  Last Failure Time: ${when(s.lastFailureAt)}`,
  ];
}
