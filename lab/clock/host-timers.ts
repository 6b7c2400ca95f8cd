/**
 * The host's real timers, as used by the 'real' and 'scaled' clock modes. This folder is the only place in
 * the repo allowed to arm them (eslint's no-restricted-globals exempts lab/clock).
 */
export interface HostTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * The host clock the mode reads, in ms: epoch time for 'real' (Date.now), a monotonic counter for
   * 'scaled' (performance.now), so a scaled lab does not jump when the host's wall clock is adjusted.
   */
  now(): number;
}

/**
 * Node's setTimeout treats any delay above 2^31-1 ms (about 24.8 days) as 1 ms, and licensing has 90-day
 * and 1-year timers, so longer waits are chained in pieces no longer than this.
 */
export const MAX_HOST_DELAY = 2 ** 31 - 1;

export const wallTimers: HostTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export const monotonicTimers: HostTimers = { ...wallTimers, now: () => performance.now() };

export interface ChainedTimer {
  cancel(): void;
}

/**
 * Calls `fire` once `remaining()` (host ms still to wait) is 0 or less, waking up at most every
 * MAX_HOST_DELAY ms to ask again. Re-asking on every wake, instead of counting pieces, means a re-based
 * clock (setTime in scaled mode) or a host timer that woke a little early never fires a timer before its
 * lab due time. The timers stay ref'd: a running lab should keep the process alive.
 */
export function armChained(host: HostTimers, remaining: () => number, fire: () => void): ChainedTimer {
  let handle: unknown;
  let cancelled = false;
  const wait = (ms: number): void => {
    handle = host.setTimeout(wake, Math.min(Math.max(0, Math.ceil(ms)), MAX_HOST_DELAY));
  };
  const wake = (): void => {
    if (cancelled) return;
    const left = remaining();
    if (left > 0) wait(left);
    else fire();
  };
  // Always go through the host, even for a 0 ms timer: callers expect setTimeout never to call back
  // synchronously.
  wait(remaining());
  return {
    cancel() {
      cancelled = true;
      host.clearTimeout(handle);
    },
  };
}

/**
 * Host time for figures about the host (exchanges per real second, spin-up duration), never for lab logic.
 * Monotonic, so a wall-clock adjustment does not spike a rate.
 */
export const hostElapsedMs = (): number => performance.now();

/**
 * The host's wall clock, for what real peers check against it outside the lab: the validity of a TLS
 * certificate the lab presents to a syslog sender or a browser. Never for lab logic.
 */
export const hostWallTime = (): number => Date.now();

/** A send budget of `perSecond` in host time, for a sender whose receiver has no flow control (UDP). */
export const hostPace = (perSecond: number) => ({ perSecond, now: hostElapsedMs, sleep: hostSleep });

/**
 * Lets the host's event loop run (signals, sockets, output) between steps of a stepped clock, which runs
 * timers through promises only and would otherwise starve it.
 */
export const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Real waiting for a process outside the lab (`lab down` waiting for `lab up` to save and exit). */
export const hostSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
