import type { Clock, TimerId } from '#protocol';
import { armChained, monotonicTimers, wallTimers, type ChainedTimer, type HostTimers } from './host-timers.ts';
import { MinHeap, type HeapEntry } from './min-heap.ts';

/**
 * The one clock a lab runs on: every device, the cloud and XState actors (`createActor(m, { clock })`) read
 * time and arm timers through it, so a lab can run on wall time, faster than wall time, or be stepped by a
 * test with nothing else changing.
 *
 * - 'stepped': time stands still until advance()/advanceTo()/runUntil()/runAll() moves it. Timers fire in
 *   (due, seq) order, with now() set to each timer's due time, and work registered with track() settles
 *   between timers. Same inputs, same event order, every run.
 * - 'real': now() is the host's epoch time; timers are host timers.
 * - 'scaled': lab time runs `speed` times faster than the host's monotonic clock, from `start`.
 */
export const CLOCK_MODES = ['stepped', 'real', 'scaled'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

/** Where a stepped or scaled lab starts when no start is given: a fixed instant keeps runs comparable. */
export const DEFAULT_START = Date.parse('2026-01-01T00:00:00Z');

interface CommonOptions {
  /**
   * Receives every exception thrown by a timer callback. Without it, a stepped clock keeps firing the
   * remaining timers and rejects the advance call with the first error once it has finished (so a test
   * sees the failure, and the lab's state is the same as if nothing had thrown); a real or scaled clock
   * rethrows from the host timer, exactly like a plain setTimeout callback would.
   */
  onError?: (error: unknown) => void;
}
export interface SteppedOptions extends CommonOptions {
  mode: 'stepped';
  /** Epoch ms; default DEFAULT_START. */
  start?: number;
}
export interface RealOptions extends CommonOptions {
  mode: 'real';
  /** Tests only: stand-ins for the host timers (default: setTimeout, clearTimeout, Date.now). */
  timers?: HostTimers;
}
export interface ScaledOptions extends CommonOptions {
  mode: 'scaled';
  /** Lab ms per host ms; finite and > 0. */
  speed: number;
  /** Epoch ms; default DEFAULT_START. */
  start?: number;
  /** Tests only: stand-ins for the host timers (default: setTimeout, clearTimeout, performance.now). */
  timers?: HostTimers;
}
export type LabClockOptions = SteppedOptions | RealOptions | ScaledOptions;

/** What GET /lab/clock shows. */
export interface ClockDescription {
  mode: ClockMode;
  now: number;
  iso: string;
  speed?: number;
  pendingTimers: number;
}

export interface RunUntilOptions {
  /** Lab ms from now after which runUntil gives up (time is then advanced to exactly that point). */
  limitMs: number;
}

export interface RunAllOptions {
  /** Guard against timers that re-arm forever (renewal loops); default 10 000. */
  maxTimers?: number;
}

interface Timer extends HeapEntry {
  readonly id: TimerId;
  readonly fn: () => void;
  host?: ChainedTimer;
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function epoch(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`[clock] ${name} must be a finite number of epoch ms, got ${show(value)}`);
  }
  return value;
}

export class LabClock implements Clock {
  readonly mode: ClockMode;
  /** Lab ms per host ms; 1 in real mode, undefined in stepped mode. */
  readonly speed: number | undefined;

  readonly #timers = new MinHeap<Timer>();
  readonly #byId = new Map<TimerId, Timer>();
  readonly #tracked = new Set<Promise<unknown>>();
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #host: HostTimers | undefined;
  #nextId = 1;
  #seq = 0;
  #errors: unknown[] = [];
  #stepping = false;
  #disposed = false;
  /** Stepped: the current lab time. Real/scaled: the lab time at host time #hostOrigin. */
  #origin: number;
  #hostOrigin = 0;

  static create(options: LabClockOptions): LabClock {
    return new LabClock(options);
  }

  private constructor(options: LabClockOptions) {
    this.#onError = options.onError;
    switch (options.mode) {
      case 'stepped':
        this.mode = 'stepped';
        this.speed = undefined;
        this.#host = undefined;
        this.#origin = epoch('start', options.start ?? DEFAULT_START);
        break;
      case 'real':
        // Lab time = host epoch time: origin 0 at host time 0, speed 1.
        this.mode = 'real';
        this.speed = 1;
        this.#host = options.timers ?? wallTimers;
        this.#origin = 0;
        break;
      case 'scaled': {
        const { speed } = options;
        if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
          throw new RangeError(`[clock] speed must be a finite number > 0, got ${show(speed)}`);
        }
        this.mode = 'scaled';
        this.speed = speed;
        this.#host = options.timers ?? monotonicTimers;
        this.#origin = epoch('start', options.start ?? DEFAULT_START);
        this.#hostOrigin = this.#host.now();
        break;
      }
      default: {
        const mode: unknown = (options as { mode?: unknown }).mode;
        throw new RangeError(`[clock] unknown clock mode ${show(mode)}; valid modes: ${CLOCK_MODES.join(', ')}`);
      }
    }
  }

  /** Whole epoch milliseconds, in every mode (a scaled clock would otherwise hand out fractions). */
  now(): number {
    if (this.#host === undefined) return this.#origin;
    return Math.floor(this.#origin + (this.#host.now() - this.#hostOrigin) * (this.speed ?? 1));
  }

  /** Negative or NaN `ms` counts as 0; Infinity never fires. After dispose() nothing is armed. */
  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.#nextId++;
    if (this.#disposed) return id;
    const timer: Timer = { id, fn, due: this.now() + (ms > 0 ? ms : 0), seq: this.#seq++ };
    this.#timers.push(timer);
    this.#byId.set(id, timer);
    if (this.#host !== undefined) this.#arm(timer);
    return id;
  }

  clearTimeout(id: TimerId): void {
    const timer = this.#byId.get(id);
    if (timer === undefined) return;
    this.#byId.delete(id);
    this.#timers.delete(timer);
    timer.host?.cancel();
  }

  /**
   * A rejection is swallowed here (the owner still gets the same promise and handles its own errors), so
   * one failed request never stalls or breaks a stepped run.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.#tracked.add(work);
    const done = (): void => void this.#tracked.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Resolves once no tracked work is pending (each round also yields a macrotask): a piped console or a
   * lab shutting down lets the exchanges it started finish. Not for use inside a stepped advance.
   */
  settled(): Promise<void> {
    return this.#settle();
  }

  /** Live timers. */
  pending(): number {
    return this.#byId.size;
  }

  /** Due time (epoch ms) of the next timer, if any. */
  nextDue(): number | undefined {
    return this.#timers.peek()?.due;
  }

  describe(): ClockDescription {
    const now = this.now();
    return {
      mode: this.mode,
      now,
      iso: new Date(now).toISOString(),
      ...(this.mode === 'scaled' ? { speed: this.speed } : {}),
      pendingTimers: this.pending(),
    };
  }

  /**
   * Sets lab time to `t` (a "system clock change"). Pending timers keep their due times: jumping forward
   * makes the ones now in the past fire on the next step (stepped) or at once (scaled), at the new time, as
   * time never runs backwards for a timer; jumping back makes them wait longer. Not in real mode, which
   * follows the host's clock.
   */
  setTime(t: number): void {
    epoch('setTime(t)', t);
    if (this.mode === 'real')
      throw new Error(
        "[clock] setTime(): clock is in real mode and follows the host's clock; use mode 'stepped' or 'scaled'",
      );
    this.#origin = t;
    if (this.#host === undefined) return;
    this.#hostOrigin = this.#host.now();
    for (const timer of this.#byId.values()) {
      timer.host?.cancel();
      this.#arm(timer);
    }
  }

  /** Stepped mode: moves lab time forward by `ms` (finite, >= 0), firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    this.#assertStepped('advance');
    if (!(ms >= 0) || !Number.isFinite(ms))
      throw new RangeError(`[clock] advance(ms) needs a finite ms >= 0, got ${show(ms)}`);
    await this.#step(this.now() + ms);
  }

  /** Stepped mode: like advance(), to epoch ms `t`. A `t` in the past fires overdue timers and keeps now(). */
  async advanceTo(t: number): Promise<void> {
    this.#assertStepped('advanceTo');
    await this.#step(epoch('advanceTo(t)', t));
  }

  /**
   * Stepped mode: fires timers one by one until `predicate()` holds (checked before the first and after
   * each) and returns true, leaving now() at the due time of the timer that made it hold. If it still does
   * not hold once no timer is due within `limitMs`, advances to now + limitMs and returns false.
   */
  async runUntil(predicate: () => boolean, { limitMs }: RunUntilOptions): Promise<boolean> {
    this.#assertStepped('runUntil');
    if (!(limitMs >= 0) || !Number.isFinite(limitMs))
      throw new RangeError(`[clock] runUntil() needs a finite limitMs >= 0, got ${show(limitMs)}`);
    return (await this.#step(this.now() + limitMs, predicate)).stopped;
  }

  /**
   * Stepped mode: fires timers until none is left and returns how many fired; now() ends at the last due
   * time. Throws once `maxTimers` have fired with more still pending, since a lab whose devices renew
   * forever would otherwise never return.
   */
  async runAll({ maxTimers = 10_000 }: RunAllOptions = {}): Promise<number> {
    this.#assertStepped('runAll');
    return (await this.#step(Infinity, undefined, maxTimers)).fired;
  }

  /** Cancels every timer (host ones too, letting the process exit); later setTimeout calls arm nothing. */
  dispose(): void {
    this.#disposed = true;
    for (const timer of this.#byId.values()) timer.host?.cancel();
    this.#byId.clear();
    this.#timers.clear();
  }

  #assertStepped(method: string): void {
    if (this.mode !== 'stepped') {
      throw new Error(`[clock] ${method}(): clock is in ${this.mode} mode; stepping needs --step / mode 'stepped'`);
    }
  }

  /**
   * The stepping loop behind advance, advanceTo, runUntil and runAll: fires timers due up to `target` in
   * (due, seq) order, settling tracked work after each, until `stop()` holds.
   */
  async #step(
    target: number,
    stop: () => boolean = () => false,
    maxTimers = Infinity,
  ): Promise<{ stopped: boolean; fired: number }> {
    if (this.#stepping) throw new Error('[clock] a step was started while another is running; await the first one');
    this.#stepping = true;
    const errors: unknown[] = (this.#errors = []);
    let stopped: boolean;
    let fired = 0;
    try {
      await this.#settle();
      stopped = stop();
      while (!stopped) {
        const next = this.#timers.peek();
        if (next === undefined || next.due > target || next.due === Infinity) break;
        if (fired === maxTimers) {
          throw new Error(
            `[clock] runAll() fired ${maxTimers} timers and ${this.pending()} are still pending; something re-arms itself (a renewal loop?), so step with advance() or runUntil()`,
          );
        }
        this.#timers.pop();
        this.#byId.delete(next.id);
        // Timers armed inside this one are measured from its due time, so a re-arming timer never drifts;
        // max() because after a forward setTime() an overdue timer fires at the current time.
        this.#origin = Math.max(this.#origin, next.due);
        fired++;
        this.#invoke(next);
        await this.#settle();
        stopped = stop();
      }
      if (!stopped && Number.isFinite(target)) this.#origin = Math.max(this.#origin, target);
    } finally {
      this.#stepping = false;
    }
    if (errors.length > 0) throw errors[0];
    return { stopped, fired };
  }

  /**
   * Waits until no tracked work is pending. Each round also yields one macrotask (setImmediate), so I/O
   * callbacks and microtask chains that are not tracked get a turn before the next timer fires. Tracked work
   * that never settles (a request with no timeout) stalls the step: owners give their I/O a deadline.
   */
  async #settle(): Promise<void> {
    do {
      await Promise.allSettled(this.#tracked);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (this.#tracked.size > 0);
  }

  #invoke(timer: Timer): void {
    try {
      timer.fn();
    } catch (error) {
      if (this.#onError !== undefined) this.#onError(error);
      else if (this.mode === 'stepped') this.#errors.push(error);
      else throw error;
    }
  }

  #arm(timer: Timer): void {
    const host = this.#host as HostTimers;
    const speed = this.speed ?? 1;
    timer.host = armChained(
      host,
      () => (timer.due - this.now()) / speed,
      () => {
        if (this.#byId.get(timer.id) !== timer) return;
        this.#byId.delete(timer.id);
        this.#timers.delete(timer);
        this.#invoke(timer);
      },
    );
  }
}
