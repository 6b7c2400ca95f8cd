import { describe, it, expect } from 'vitest';
import { createActor, createMachine, type ActorOptions, type AnyActorLogic } from 'xstate';
import { LabClock, DEFAULT_START } from './index.ts';
import { SECOND, DAY } from '#protocol';

const T0 = DEFAULT_START;

const stepped = (start = T0): LabClock => LabClock.create({ mode: 'stepped', start });
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** mulberry32: a tiny seeded PRNG, so the "random" schedule is the same every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('LabClock stepped mode', () => {
  it('starts at the given time and stands still until stepped', async () => {
    const clock = stepped();
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:00:00Z'));
    let fired = false;
    clock.setTimeout(() => (fired = true), 0);
    await nextMacrotask();
    expect(fired).toBe(false);
    expect(clock.now()).toBe(T0);
    await clock.advance(0);
    expect(fired).toBe(true);
  });

  it('fires timers by due time, ties in insertion order, with now() at each due time', async () => {
    const clock = stepped();
    const log: string[] = [];
    const at = (name: string, ms: number) => clock.setTimeout(() => log.push(`${name}@${clock.now() - T0}`), ms);
    at('c', 300);
    at('a', 100);
    at('b1', 200);
    at('b2', 200);
    at('b3', 200);
    at('late', 1000);
    await clock.advance(500);
    expect(log).toEqual(['a@100', 'b1@200', 'b2@200', 'b3@200', 'c@300']);
    expect(clock.now()).toBe(T0 + 500);
    expect(clock.pending()).toBe(1);
    expect(clock.nextDue()).toBe(T0 + 1000);
  });

  it('fires timers armed inside timers within the same advance, including 0 ms and exactly-at-target ones', async () => {
    const clock = stepped();
    const log: string[] = [];
    const mark = (name: string) => () => log.push(`${name}@${clock.now() - T0}`);
    clock.setTimeout(() => {
      mark('outer')();
      clock.setTimeout(mark('zero'), 0);
      clock.setTimeout(mark('atTarget'), 50);
      clock.setTimeout(mark('pastTarget'), 51);
      clock.setTimeout(() => {
        mark('nested')();
        clock.setTimeout(mark('nestedZero'), 0);
      }, 10);
    }, 50);
    clock.setTimeout(mark('sibling'), 50);
    await clock.advance(100);
    expect(log).toEqual(['outer@50', 'sibling@50', 'zero@50', 'nested@60', 'nestedZero@60', 'atTarget@100']);
    expect(clock.pending()).toBe(1);
    await clock.advance(1);
    expect(log.at(-1)).toBe('pastTarget@101');
  });

  it('does not drift: a 30-day re-arming timer fires at exactly k x 30 days over a year', async () => {
    const clock = stepped();
    const fires: number[] = [];
    const arm = (): void => {
      clock.setTimeout(() => {
        fires.push(clock.now() - T0);
        arm();
      }, 30 * DAY);
    };
    arm();
    await clock.advance(365 * DAY);
    expect(fires).toEqual(Array.from({ length: 12 }, (_, k) => (k + 1) * 30 * DAY));
    expect(clock.now()).toBe(T0 + 365 * DAY);
    expect(clock.nextDue()).toBe(T0 + 390 * DAY);
  });

  it('clearTimeout cancels before firing, ignores unknown and fired ids, and works inside another callback', async () => {
    const clock = stepped();
    const log: string[] = [];
    const a = clock.setTimeout(() => log.push('a'), 10);
    clock.clearTimeout(a);
    clock.clearTimeout(a);
    clock.clearTimeout(12345);
    let victim = 0;
    clock.setTimeout(() => {
      log.push('killer');
      clock.clearTimeout(victim);
    }, 20);
    victim = clock.setTimeout(() => log.push('victim'), 20);
    const b = clock.setTimeout(() => log.push('b'), 30);
    expect(clock.pending()).toBe(3);
    await clock.advance(100);
    clock.clearTimeout(b);
    expect(log).toEqual(['killer', 'b']);
    expect(clock.pending()).toBe(0);
    expect(clock.nextDue()).toBeUndefined();
  });

  it('hands out unique numeric ids', () => {
    const clock = stepped();
    const ids = Array.from({ length: 100 }, () => clock.setTimeout(() => {}, 5));
    expect(new Set(ids).size).toBe(100);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
  });

  it('is deterministic: a seeded random schedule gives the same fire log twice', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const clock = stepped();
      const random = prng(seed);
      const log: string[] = [];
      const ids: number[] = [];
      let made = 0;
      const schedule = (depth: number): void => {
        const name = `t${made++}`;
        const delay = random() < 0.2 ? 0 : Math.floor(random() * 5) * 1000;
        ids.push(
          clock.setTimeout(() => {
            log.push(`${name}@${clock.now() - T0}`);
            if (depth < 3) for (let i = Math.floor(random() * 3); i > 0; i--) schedule(depth + 1);
            if (random() < 0.3) clock.clearTimeout(ids[Math.floor(random() * ids.length)] ?? 0);
          }, delay),
        );
      };
      for (let i = 0; i < 50; i++) schedule(0);
      await clock.advance(60 * SECOND);
      return log;
    };
    const first = await run(42);
    expect(first.length).toBeGreaterThan(50);
    expect(await run(42)).toEqual(first);
    const times = first.map((entry) => Number(entry.split('@')[1]));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('waits for tracked async work between timers', async () => {
    const clock = stepped();
    const log: string[] = [];
    clock.setTimeout(() => {
      log.push(`a@${clock.now() - T0}`);
      void clock.track(
        (async () => {
          await null;
          await null;
          await nextMacrotask();
          await null;
          log.push('a.work done');
          clock.setTimeout(() => log.push(`a.follow-up@${clock.now() - T0}`), 0);
        })(),
      );
    }, 10);
    clock.setTimeout(() => log.push(`b@${clock.now() - T0}`), 10);
    clock.setTimeout(() => log.push(`c@${clock.now() - T0}`), 11);
    await clock.advance(20);
    expect(log).toEqual(['a@10', 'a.work done', 'b@10', 'a.follow-up@10', 'c@11']);
  });

  it('waits for tracked work that needs real I/O time, and survives a rejected one', async () => {
    const clock = stepped();
    const log: string[] = [];
    clock.setTimeout(() => {
      void clock.track(new Promise((resolve) => setTimeout(resolve, 20))).then(() => log.push('slow done'));
      clock.track(Promise.reject(new Error('cloud unreachable'))).catch(() => log.push('owner saw rejection'));
    }, 1);
    clock.setTimeout(() => log.push('next'), 2);
    await clock.advance(5);
    expect(log).toEqual(['owner saw rejection', 'slow done', 'next']);
  });

  it("runUntil returns true as soon as the predicate holds, at that timer's time", async () => {
    const clock = stepped();
    let renewed = 0;
    const arm = (): void => void clock.setTimeout(() => (renewed++, arm()), 7 * DAY);
    arm();
    expect(await clock.runUntil(() => renewed === 3, { limitMs: 90 * DAY })).toBe(true);
    expect(clock.now()).toBe(T0 + 21 * DAY);
    expect(await clock.runUntil(() => renewed === 3, { limitMs: 0 })).toBe(true);
    expect(clock.now()).toBe(T0 + 21 * DAY);
  });

  it('runUntil returns false and stops exactly at the limit', async () => {
    const clock = stepped();
    let fired = 0;
    clock.setTimeout(() => fired++, 10 * DAY);
    clock.setTimeout(() => fired++, 40 * DAY);
    expect(await clock.runUntil(() => fired === 2, { limitMs: 30 * DAY })).toBe(false);
    expect(fired).toBe(1);
    expect(clock.now()).toBe(T0 + 30 * DAY);
  });

  it('runAll drains finite schedules and refuses endless ones', async () => {
    const clock = stepped();
    clock.setTimeout(() => clock.setTimeout(() => {}, 5), 5);
    clock.setTimeout(() => {}, Infinity);
    expect(await clock.runAll()).toBe(2);
    expect(clock.now()).toBe(T0 + 10);
    const loop = (): void => void clock.setTimeout(loop, DAY);
    loop();
    await expect(clock.runAll({ maxTimers: 50 })).rejects.toThrow(/fired 50 timers/);
  });

  it('keeps firing when a callback throws, then rejects with the first error (or hands all to onError)', async () => {
    const clock = stepped();
    const log: string[] = [];
    clock.setTimeout(() => {
      throw new Error('first');
    }, 1);
    clock.setTimeout(() => {
      throw new Error('second');
    }, 2);
    clock.setTimeout(() => log.push('after'), 3);
    await expect(clock.advance(10)).rejects.toThrow('first');
    expect(log).toEqual(['after']);
    expect(clock.now()).toBe(T0 + 10);

    const seen: unknown[] = [];
    const hooked = LabClock.create({ mode: 'stepped', onError: (error) => seen.push(error) });
    hooked.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    await hooked.advance(1);
    expect(seen).toEqual([new Error('boom')]);
  });

  it('setTime jumps lab time; pending timers keep their due times and never fire in the past', async () => {
    const clock = stepped();
    const log: number[] = [];
    clock.setTimeout(() => log.push(clock.now() - T0), 10 * DAY);
    clock.setTime(T0 + 20 * DAY);
    expect(clock.now()).toBe(T0 + 20 * DAY);
    await clock.advance(0);
    expect(log).toEqual([20 * DAY]);
    clock.setTime(T0);
    clock.setTimeout(() => log.push(clock.now() - T0), DAY);
    await clock.advanceTo(T0 + DAY);
    expect(log).toEqual([20 * DAY, DAY]);
  });

  it('rejects overlapping steps and bad arguments', async () => {
    const clock = stepped();
    const first = clock.advance(1);
    await expect(clock.advance(1)).rejects.toThrow(/another is running/);
    await first;
    await expect(clock.advance(-1)).rejects.toThrow(/got -1/);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(/got NaN/);
    await expect(clock.advanceTo(Infinity)).rejects.toThrow(/got Infinity/);
    expect(() => LabClock.create({ mode: 'stepped', start: Number.NaN })).toThrow(/start .* got NaN/);
  });

  it('describes itself for /lab/clock', () => {
    const clock = stepped();
    clock.setTimeout(() => {}, 1);
    expect(clock.describe()).toEqual({ mode: 'stepped', now: T0, iso: '2026-01-01T00:00:00.000Z', pendingTimers: 1 });
  });

  it('drives an XState v5 machine through createActor(machine, { clock })', async () => {
    const clock = stepped();
    // Compile-time check: LabClock is an XState clock.
    const options: ActorOptions<AnyActorLogic> = { clock };
    const machine = createMachine({
      initial: 'waiting',
      states: { waiting: { after: { [30 * DAY]: 'next' } }, next: {} },
    });
    const actor = createActor(machine, options).start();
    await clock.advance(30 * DAY - 1);
    expect(actor.getSnapshot().value).toBe('waiting');
    await clock.advance(1);
    expect(actor.getSnapshot().value).toBe('next');
    expect(clock.pending()).toBe(0);
    actor.stop();
  });
});
