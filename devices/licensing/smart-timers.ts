/**
 * Every Smart Licensing timer in one table, with where its value comes from. A topology or scenario may
 * override any of them (`resolveSmartTimers`); the machine never hard-codes a duration.
 * Choices where sources disagree are in ../shared/reference/README.md ("the project's choices").
 */
import { DAY, HOUR, MINUTE } from '#protocol';
import { resolveTimers, timerValues, type TimerDefinition } from './timer-table.ts';

export const smartTimerTable = {
  evaluationPeriod: {
    ms: 90 * DAY,
    source: 'smart-licensing.md §3.1: 90 days on IOS XE (C9K-ANSIBLE; YANG); counts only while in EVAL MODE',
  },
  evalCheckpoint: {
    ms: 24 * HOUR,
    source:
      'lab choice: eval time used is written to trusted storage daily (and at every state change and reload), so a crash gives back at most a day',
  },
  evalExpiredReminder: { ms: HOUR, source: 'YANG notification evaluation-expired: at expiry, then every hour' },
  registrationRetryFast: {
    ms: 15 * MINUTE,
    source: 'reference/README.md choice (seed 004): every 15 minutes for 4 hours after a failed registration',
  },
  registrationRetryFastWindow: {
    ms: 4 * HOUR,
    source: 'reference/README.md choice (seed 004): the 15-minute cadence lasts 4 hours',
  },
  registrationRetrySlow: {
    ms: HOUR,
    source: 'reference/README.md choice (seed 004): then hourly until success or `no license smart enable`',
  },
  authRenewal: {
    ms: 30 * DAY,
    source:
      'smart-licensing.md §3.1: Next Communication Attempt = last success + 30 days (golden_output2, C9K-ANSIBLE, YANG renew-auth)',
  },
  oocRenewal: {
    ms: 12 * HOUR,
    source:
      'smart-licensing.md §3.1: +12 hours while OUT OF COMPLIANCE (NTC status1, community thread 4293790); seed 004 says daily: override to 24 h for that',
  },
  commRetryFirst: {
    ms: 15 * MINUTE,
    source: 'lab choice (no public capture): first retry of a failed renewal after 15 minutes, doubling',
  },
  commRetryMax: {
    ms: DAY,
    source:
      'lab choice (no public capture): retries of failed renewals back off to once a day; FN72323 says COMM_FAILED repeats on each retry',
  },
  idRenewal: {
    ms: 180 * DAY,
    source:
      'smart-licensing.md §2.3: Next Renewal Attempt = registration + 180 days (golden_output2, NTC status1, YANG)',
  },
  clockChangeGrace: {
    ms: HOUR,
    source:
      'smart-licensing.md §2.3: REG_EXPIRED_CLOCK_CHANGE "...transition to the un-registered state in 60 minutes."',
  },
  requestTimeout: {
    ms: 60_000,
    source: 'lab choice: a cloud exchange that has not answered in 60 s of lab time is a communication failure',
  },
} as const satisfies Record<string, TimerDefinition>;

export type SmartTimerName = keyof typeof smartTimerTable;
export type SmartTimers = Record<SmartTimerName, number>;

/** The table's values with overrides applied; an unknown name or a bad value is refused with the valid names. */
export function resolveSmartTimers(overrides: Partial<Record<string, number>> = {}): SmartTimers {
  return resolveTimers('smart licensing', FACTORY_TIMERS, overrides);
}

const FACTORY_TIMERS = timerValues(smartTimerTable);
