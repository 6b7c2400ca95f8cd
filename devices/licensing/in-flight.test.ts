import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';
import type { SmartCloud } from './smart-context.ts';

/** A cloud whose answers the test releases by hand; releasing a registration starts an authorization. */
function manualCloud() {
  const waiting: (() => void)[] = [];
  const later = () =>
    new Promise<never>((resolve) => waiting.push(() => resolve({ ok: false, kind: 'comm', reason: 'x' } as never)));
  const cloud = {
    register: later,
    authorize: later,
    renewId: later,
    deregister: later,
    reportUsage: later,
  } as unknown as SmartCloud;
  return { cloud, release: () => waiting.shift()?.() };
}

describe('InFlight', () => {
  it('settles at once when nothing is in flight', async () => {
    await expect(new InFlight().settled()).resolves.toBeUndefined();
  });

  it('waits for every exchange, including one that an answer started', async () => {
    const { cloud, release } = manualCloud();
    const inFlight = new InFlight();
    const wrapped = inFlight.wrap(cloud);
    void wrapped.register({} as never).then(() => void wrapped.authorize({} as never, []));
    let settled = false;
    const done = inFlight.settled().then(() => (settled = true));
    release();
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    release();
    await done;
    expect(settled).toBe(true);
  });
});
