/** The sender's UDP budget: datagrams past it wait in order on host time, and only a full queue drops. */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SyslogSender, type WirePace } from './syslog-sender.ts';

/** Host time the test moves by hand: sleep() resolves once `advance` passes its end. */
function manualPace(perSecond: number) {
  let now = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const pace: WirePace = {
    perSecond,
    now: () => now,
    sleep: (ms) => new Promise((wake) => sleepers.push({ until: now + ms, wake })),
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const s of sleepers.splice(0)) {
      if (s.until <= now) s.wake();
      else sleepers.push(s);
    }
    await new Promise((r) => setImmediate(r));
  };
  return { pace, advance };
}

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function receiver() {
  const got: string[] = [];
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  socket.on('message', (m) => got.push(m.toString()));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  open.push({ close: () => new Promise<void>((r) => socket.close(() => r())) });
  return { got, host: { address: '127.0.0.1', port: socket.address().port, transport: 'udp' as const } };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

describe('SyslogSender with a wire budget', () => {
  it('sends a burst of a tenth of a second at once, then the rest in order as host time refills it', async () => {
    const { got, host } = await receiver();
    const { pace, advance } = manualPace(100);
    const sender = new SyslogSender({ pace });
    for (let n = 1; n <= 25; n++) expect(sender.send(host, `m${n}`)).toBe(true);
    await until(() => got.length === 10);
    expect(sender.counts()).toMatchObject({ sent: 10, queued: 15, dropped: 0 });
    await advance(50);
    await until(() => got.length === 15);
    await advance(100);
    await until(() => got.length === 25);
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => `m${i + 1}`));
    expect(sender.counts()).toMatchObject({ sent: 25, queued: 0, dropped: 0 });
    await sender.close();
  });

  it('drops, counted, only what finds the queue full, and close() waits for those waiting', async () => {
    const { got, host } = await receiver();
    const { pace, advance } = manualPace(100);
    const sender = new SyslogSender({ pace, maxQueued: 20 });
    const accepted = Array.from({ length: 30 }, (_, n) => sender.send(host, `m${n + 1}`));
    expect(accepted.filter(Boolean)).toHaveLength(20);
    expect(sender.counts().dropped).toBe(10);
    const closed = sender.close();
    await advance(1000);
    await closed;
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `m${i + 1}`));
    expect(sender.counts()).toMatchObject({ sent: 20, queued: 0, dropped: 10 });
  });

  it('sends what still waits at close() at once instead of at the budget’s pace', async () => {
    const { got, host } = await receiver();
    const { pace } = manualPace(10);
    const sender = new SyslogSender({ pace });
    for (let n = 1; n <= 1_000; n++) sender.send(host, `m${n}`);
    // Host time never moves: without close() only the first burst (1) would leave.
    await sender.close();
    await until(() => got.length === 1_000);
    expect(sender.counts()).toMatchObject({ sent: 1_000, queued: 0, dropped: 0 });
  });

  it('counts as failed, never throws, a datagram dgram refuses at once (port 0)', async () => {
    const seen: string[] = [];
    const { pace, advance } = manualPace(100);
    const sender = new SyslogSender({ pace, onProblem: (line) => seen.push(line) });
    const nowhere = { address: '127.0.0.1', port: 0, transport: 'udp' as const };
    for (let n = 0; n < 15; n++) expect(sender.send(nowhere, 'x')).toBe(true);
    await advance(100);
    await sender.close();
    expect(sender.counts()).toMatchObject({ sent: 0, failed: 15, queued: 0 });
    expect(seen).toHaveLength(1);
  });
});
