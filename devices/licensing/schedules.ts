/**
 * When the agent next speaks up: the evaluation warning schedule and the renewal back-off, as pure
 * functions of times, so the machine's delays are one-liners and the schedules are testable on their own.
 */
import { DAY, HOUR } from '#protocol';
import type { SmartTimers } from './smart-timers.ts';

/**
 * Days before eval expiry that warn (YANG evaluation-expiration-warning: 60, 30, 21, 14, 7, then daily, then hourly).
 */
const WARN_DAYS = [60, 30, 21, 14, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * Remaining eval time (ms) at which the next EVAL_WILL_EXPIRE_WARNING is due, given what remains now;
 * undefined when none is left before expiry. The last day warns every hour.
 */
export function nextEvalWarning(remainingMs: number): number | undefined {
  for (const d of WARN_DAYS) {
    if (remainingMs > d * DAY) return d * DAY;
  }
  if (remainingMs > HOUR) return Math.ceil(remainingMs / HOUR - 1) * HOUR;
  return undefined;
}

/** Delay before retry number `failures` (1 = after the first failure): `first`, doubling, capped at `max`. */
export function doublingDelay(failures: number, first: number, max: number): number {
  const n = Math.max(1, failures);
  return Math.min(max, first * 2 ** Math.min(n - 1, 30));
}

/** Delay before retry number `failures` of a renewal. */
export function commRetryDelay(failures: number, timers: SmartTimers): number {
  return doublingDelay(failures, timers.commRetryFirst, timers.commRetryMax);
}

/** Days before expiry that warn (MIB-543 clmgmtLicenseExpiryWarning, A.9: 4, 3, 2 weeks, then daily the last week). */
const EXPIRY_WARN_DAYS = [28, 21, 14, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * Remaining usage (ms) at which the next expiry warning of a metered license is due, given what remains
 * now; undefined when no warning is left before expiry.
 */
export function nextExpiryWarning(remainingMs: number): number | undefined {
  const d = EXPIRY_WARN_DAYS.find((days) => remainingMs > days * DAY);
  return d === undefined ? undefined : d * DAY;
}

/**
 * Time before a subscription's end date (ms) at which the next clmgmtLicenseSubscriptionExpiryWarning is due
 * (MIB-543, A.9): weekly during the last 8 weeks, daily during the last week, hourly during the last day;
 * undefined when none is left before the end.
 */
const SUBSCRIPTION_WARN_BEFORE: readonly number[] = [
  ...[8, 7, 6, 5, 4, 3, 2].map((w) => w * 7 * DAY),
  ...[7, 6, 5, 4, 3, 2, 1].map((d) => d * DAY),
  ...Array.from({ length: 23 }, (_, i) => (23 - i) * HOUR),
];

export function nextSubscriptionWarning(remainingMs: number): number | undefined {
  return SUBSCRIPTION_WARN_BEFORE.find((before) => remainingMs > before);
}
