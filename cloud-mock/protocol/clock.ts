/**
 * The time contract every device and the cloud share. The lab clock (lab/clock) implements it; it is a
 * superset of XState's `Clock`, so the same object is handed to `createActor(machine, { clock })`.
 * Nothing in the repo reads `Date.now()` or arms a real timer outside the lab clock.
 */
export type TimerId = number;

export interface Clock {
  /** Lab time in epoch milliseconds. */
  now(): number;
  /** Runs `fn` once lab time has advanced by `ms` (negative or NaN counts as 0). */
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
  /**
   * Registers asynchronous work started by a timer or a request (an HTTP exchange, a store write), so a
   * stepped clock waits for it to settle before it fires the next timer: same inputs, same event order.
   * Returns the promise it was given.
   */
  track<T>(work: Promise<T>): Promise<T>;
}
