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
