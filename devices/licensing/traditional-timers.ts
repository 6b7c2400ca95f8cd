/**
 * Every traditional (CSL) licensing timer in one table, with where its value comes from. A device may
 * override any of them (`traditionalTimers` in DeviceOptions); the machine never hard-codes a duration.
 * Choices where sources disagree are in ../shared/reference/README.md ("the project's choices").
 */
import { DAY } from '#protocol';
import { resolveTimers, timerValues, type TimerDefinition } from './timer-table.ts';

export const traditionalTimerTable = {
  evaluationPeriod: {
    ms: 60 * DAY,
    source:
      'reference/README.md choice (seeds 000, 001; S-CSAOV "Built-in Licenses for Emergencies"): the built-in evaluation license lasts 60 days of use',
  },
  rtuEvaluationPeriod: {
    ms: 90 * DAY,
    source:
      'A.4 / A.5.7 (unconfirmed): a Catalyst 3650 / 3850 right-to-use evaluation (`license right-to-use activate <level> evaluation`) lasts 90 days of use',
  },
  usageCheckpoint: {
    ms: DAY,
    source:
      'lab choice: usage of the metered license in use is written to trusted storage daily (and at every state change and reload), so a power loss gives back at most a day',
  },
  subscriptionReminder: {
    ms: DAY,
    source:
      'MIB-543 clmgmtLicenseSubscriptionExtExpiryWarning / clmgmtLicenseSubscriptionExpired (A.9): daily after the end date, while the extension lasts and after complete expiry',
  },
  expiredReminder: {
    ms: 7 * DAY,
    source: 'MIB-543 clmgmtLicenseExpired (A.9): sent at expiry, then repeated every week',
  },
} as const satisfies Record<string, TimerDefinition>;

export type TraditionalTimerName = keyof typeof traditionalTimerTable;
export type TraditionalTimers = Record<TraditionalTimerName, number>;

const FACTORY_TIMERS = timerValues(traditionalTimerTable);

/** The table's values with overrides applied; an unknown name or a bad value is refused with the valid names. */
export function resolveTraditionalTimers(overrides: Partial<Record<string, number>> = {}): TraditionalTimers {
  return resolveTimers('traditional licensing', FACTORY_TIMERS, overrides);
}
