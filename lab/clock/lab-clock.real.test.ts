import { describe, it, expect } from 'vitest';
import { LabClock, DEFAULT_START, MAX_HOST_DELAY, type HostTimers } from './index.ts';
import { SECOND, DAY } from '#protocol';

// The modes that run on host timers. Stepped mode is covered in lab-clock.test.ts.
const T0 = DEFAULT_START;

/** Host timers under the test's control: nothing fires until the test says so. */
function fakeHost(start = 0) {
  let now = start;
  const armed = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const host: HostTimers = {
    setTimeout: (fn, ms) => (armed.set(next, { fn, ms }), next++),
    clearTimeout: (handle) => void armed.delete(handle as number),
    now: () => now,
  };
  /** Moves host time to the only armed timer's end and runs it; returns the delay it was armed with. */
  const fireOnly = (): number => {
    expect(armed.size).toBe(1);
    const [handle, { fn, ms }] = [...armed][0] as [number, { fn: () => void; ms: number }];
    armed.delete(handle);
    now += ms;
    fn();
    return ms;
  };
  return { host, armed, fireOnly, setNow: (t: number) => (now = t) };
}

describe('LabClock real and scaled modes', () => {
  it('real mode reads the host clock and chains delays above 2^31-1 ms', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const fake = fakeHost(start);
    const clock = LabClock.create({ mode: 'real', timers: fake.host });
    expect(clock.now()).toBe(start);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now() - start), 90 * DAY);
    const pieces: number[] = [];
    while (fired.length === 0) pieces.push(fake.fireOnly());
    expect(pieces.slice(0, -1).every((ms) => ms === MAX_HOST_DELAY)).toBe(true);
    expect(pieces.reduce((sum, ms) => sum + ms, 0)).toBe(90 * DAY);
    expect(pieces.length).toBe(Math.ceil((90 * DAY) / MAX_HOST_DELAY));
    expect(fired).toEqual([90 * DAY]);
    expect(clock.pending()).toBe(0);
  });

  it('real mode dispose() clears host timers; clearTimeout cancels the current piece of a chain', () => {
    const fake = fakeHost();
    const clock = LabClock.create({ mode: 'real', timers: fake.host });
    const long = clock.setTimeout(() => {}, 60 * DAY);
    fake.fireOnly();
    clock.clearTimeout(long);
    expect(fake.armed.size).toBe(0);
    clock.setTimeout(() => {}, 1);
    clock.setTimeout(() => {}, 2);
    expect(fake.armed.size).toBe(2);
    clock.dispose();
    expect(fake.armed.size).toBe(0);
    expect(clock.pending()).toBe(0);
    clock.setTimeout(() => {}, 1);
    expect(fake.armed.size).toBe(0);
  });

  it('real mode fires with real timers', async () => {
    const clock = LabClock.create({ mode: 'real' });
    const before = Date.now();
    expect(Math.abs(clock.now() - before)).toBeLessThan(50);
    const firedAt = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 10));
    expect(firedAt - before).toBeGreaterThanOrEqual(10);
    expect(clock.describe()).toMatchObject({ mode: 'real', pendingTimers: 0 });
    expect(clock.describe()).not.toHaveProperty('speed');
  });

  it('scaled mode maps lab time to real time at the given speed', async () => {
    const speed = 1000;
    const t0 = performance.now();
    const clock = LabClock.create({ mode: 'scaled', speed });
    const t1 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t2 = performance.now();
    const elapsedLab = clock.now() - T0;
    const t3 = performance.now();
    // The clock's host origin lies in [t0, t1] and its read in [t2, t3], so this bracket is exact.
    expect(elapsedLab).toBeGreaterThanOrEqual((t2 - t1) * speed - 1e-6);
    expect(elapsedLab).toBeLessThanOrEqual((t3 - t0) * speed + 1e-6);
    expect(elapsedLab).toBeGreaterThanOrEqual(40 * SECOND);

    const due = clock.now() + 30 * SECOND;
    const r0 = performance.now();
    const { lab, real } = await new Promise<{ lab: number; real: number }>((resolve) =>
      clock.setTimeout(() => resolve({ lab: clock.now(), real: performance.now() - r0 }), 30 * SECOND),
    );
    expect(lab).toBeGreaterThanOrEqual(due);
    expect(real).toBeGreaterThanOrEqual(29);
    expect(real).toBeLessThan(1000);
    expect(clock.describe()).toMatchObject({ mode: 'scaled', speed });
    clock.dispose();
  });

  it('scaled mode hands out whole milliseconds, whatever the host clock and speed', () => {
    const fake = fakeHost(0.25);
    const clock = LabClock.create({ mode: 'scaled', speed: 86_400, start: T0, timers: fake.host });
    fake.setNow(0.25 + 0.0107);
    expect(clock.now()).toBe(T0 + 924);
    expect(Number.isInteger(clock.now())).toBe(true);
  });

  it('scaled mode chains long lab delays and re-arms host timers on setTime', () => {
    const fake = fakeHost();
    const clock = LabClock.create({ mode: 'scaled', speed: 2, start: T0, timers: fake.host });
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now() - T0), 100 * DAY);
    expect([...fake.armed.values()][0]?.ms).toBe(MAX_HOST_DELAY);
    clock.setTime(T0 + 99 * DAY);
    expect([...fake.armed.values()][0]?.ms).toBe(DAY / 2);
    fake.fireOnly();
    expect(fired).toEqual([100 * DAY]);
  });

  it('refuses stepping outside stepped mode, and setTime in real mode', async () => {
    const real = LabClock.create({ mode: 'real', timers: fakeHost().host });
    await expect(real.advance(1)).rejects.toThrow("clock is in real mode; stepping needs --step / mode 'stepped'");
    await expect(real.runUntil(() => true, { limitMs: 1 })).rejects.toThrow(/real mode/);
    expect(() => real.setTime(0)).toThrow(/real mode/);
    const scaled = LabClock.create({ mode: 'scaled', speed: 10, timers: fakeHost().host });
    await expect(scaled.advanceTo(T0)).rejects.toThrow(
      "clock is in scaled mode; stepping needs --step / mode 'stepped'",
    );
  });

  it('rejects a bad speed or mode, naming the value', () => {
    for (const speed of [0, -5, Number.NaN, Infinity]) {
      expect(() => LabClock.create({ mode: 'scaled', speed })).toThrow(
        `speed must be a finite number > 0, got ${speed}`,
      );
    }
    expect(() => LabClock.create({ mode: 'scaled', speed: '2' as unknown as number })).toThrow('got "2"');
    expect(() => LabClock.create({ mode: 'warp' } as never)).toThrow(
      'unknown clock mode "warp"; valid modes: stepped, real, scaled',
    );
  });
});
