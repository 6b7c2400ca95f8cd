/**
 * Every Smart Licensing Using Policy timer in one table, with where its value comes from. A device may
 * override any of them (`slpTimers` in DeviceOptions); the machine never hard-codes a duration. What the
 * policy sets (first report, reporting frequency) and what the cloud answers (poll interval) are not timers:
 * they come from the installed policy and the answer.
 */
import { DAY, MINUTE } from '#protocol';
import { doublingDelay } from './schedules.ts';
import { resolveTimers, timerValues, type TimerDefinition } from './timer-table.ts';

export const slpTimerTable = {
  reportInterval: {
    ms: 30 * DAY,
    source:
      'smart-licensing.md §4.5–4.7, §9.3: `Reporting push interval: 30  days` unless `license smart usage interval <days>` sets it',
  },
  firstPush: {
    ms: 39_000,
    source: 'smart-licensing.md §11: a C1117 in CSLU mode first tried CSLU 39 s after boot',
  },
  pushRetryFirst: {
    ms: 5 * MINUTE,
    source: 'smart-licensing.md §11: CSLU unreachable at boot, retries 5 min apart (then 44 min); doubling from here',
  },
  pushRetryMax: {
    ms: DAY,
    source: 'lab choice (no capture): retries of a failed usage report back off to once a day',
  },
  ackPoll: {
    ms: 2 * MINUTE,
    source:
      'smart-licensing.md §9.3 (NTC status4: Next ACK push check 2 min after the push) when the answer names no poll interval',
  },
  rumReportWindow: {
    ms: 30 * DAY,
    source:
      'lab choice: an open RUM report closes after 30 days at most (the default push interval), or at a push, sync or save, so an unreported device piles up reports (FN72578) at 2 signatures a month for 2 licenses',
  },
  reportingWarningWindow: {
    ms: 30 * DAY,
    source: 'smart-licensing.md §5.3 (Nexus SLP guide, cross-product): warnings start 30 days before the ACK deadline',
  },
  reportingReminder: {
    ms: DAY,
    source: 'lab choice: REPORTING_REQUIRED daily in the warning window, RUM_ACK_NOT_RECEIVED daily past the deadline',
  },
  requestTimeout: {
    ms: 60_000,
    source: 'lab choice, as Smart: an exchange that has not answered in 60 s of lab time is a communication failure',
  },
} as const satisfies Record<string, TimerDefinition>;

export type SlpTimerName = keyof typeof slpTimerTable;
export type SlpTimers = Record<SlpTimerName, number>;

const FACTORY_TIMERS = timerValues(slpTimerTable);

export function resolveSlpTimers(overrides: Partial<Record<string, number>> = {}): SlpTimers {
  return resolveTimers('smart licensing using policy', FACTORY_TIMERS, overrides);
}

/** Delay before retry number `failures` of a usage report. */
export function pushRetryDelay(failures: number, timers: SlpTimers): number {
  return doublingDelay(failures, timers.pushRetryFirst, timers.pushRetryMax);
}
