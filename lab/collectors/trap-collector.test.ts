/** Traps and informs over real UDP between the lab's sender and collector: v2c, v3 authPriv, refusals. */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { SnmpTrapSender, type SnmpNotification, type SnmpUser, type TrapTarget } from '#devices';
import { TrapCollector } from './trap-collector.ts';

const registered: SnmpNotification = {
  trapOid: '1.3.6.1.4.1.9.9.831.1.6',
  name: 'ciscoSlaSmartAgentNotifyRegisterSuccess',
  varbinds: [
    { oid: '1.3.6.1.4.1.9.9.831.0.2.0', name: 'ciscoSlaSUDIInfo', type: 'OctetString', value: 'PID:C9300-24P,SN:FOC1' },
  ],
};
const mon: SnmpUser = {
  name: 'mon',
  group: 'lab',
  auth: { protocol: 'sha', key: 'authpass1' },
  priv: { protocol: 'aes', key: 'privpass1' },
};
const v2c = (port: number, kind: 'traps' | 'informs' = 'traps'): TrapTarget => ({
  host: { address: '127.0.0.1', port, kind, version: '2c', securityName: 'public' },
});

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

function sender(options: ConstructorParameters<typeof SnmpTrapSender>[0] = {}): SnmpTrapSender {
  const s = new SnmpTrapSender(options);
  open.push(s);
  return s;
}

async function collector(options: Partial<Parameters<typeof TrapCollector.listen>[0]> = {}): Promise<TrapCollector> {
  const c = await TrapCollector.listen({ now: () => 42, ...options });
  open.push(c);
  return c;
}

describe('traps over the wire', () => {
  it('delivers a v2c trap: uptime, trap OID, MIB varbinds in order, the device from snmpTrapAddress.0', async () => {
    const c = await collector();
    sender().send(v2c(c.port), 12_345, registered, '10.0.0.7');
    await until(() => c.counts().received === 1);
    const [trap] = c.traps();
    expect(trap).toMatchObject({
      kind: 'trap',
      securityName: 'public',
      uptimeTicks: 12_345,
      trapOid: '1.3.6.1.4.1.9.9.831.1.6',
      name: 'ciscoSlaSmartAgentNotifyRegisterSuccess',
      device: '10.0.0.7',
      receivedAt: 42,
    });
    expect(trap!.varbinds.map((v) => [v.oid, v.value])).toEqual([
      ['1.3.6.1.2.1.1.3.0', 12_345],
      ['1.3.6.1.6.3.1.1.4.1.0', '1.3.6.1.4.1.9.9.831.1.6'],
      ['1.3.6.1.4.1.9.9.831.0.2.0', 'PID:C9300-24P,SN:FOC1'],
      ['1.3.6.1.6.3.18.1.3.0', '10.0.0.7'],
    ]);
    expect(c.counts().devices).toEqual({ '10.0.0.7': 1 });
  });

  it('gets informs acknowledged, and counts an inform to a dead port failed after its retries, without throwing', async () => {
    const c = await collector();
    const s = sender({ informTimeoutMs: 50, informRetries: 1 });
    for (let i = 0; i < 3; i++) s.send(v2c(c.port, 'informs'), i, registered, '10.0.0.8');
    await until(() => s.counts().informsAcked === 3);
    expect(c.traps().map((t) => t.kind)).toEqual(['inform', 'inform', 'inform']);

    const dead = createSocket('udp4');
    await new Promise<void>((r) => dead.bind(0, '127.0.0.1', r));
    const port = dead.address().port;
    dead.close();
    const problems: string[] = [];
    const lonely = sender({ informTimeoutMs: 30, informRetries: 1, onProblem: (p) => problems.push(p) });
    lonely.send(v2c(port, 'informs'), 1, registered, '10.0.0.9');
    lonely.send(v2c(port, 'informs'), 2, registered, '10.0.0.9');
    await until(() => lonely.counts().informsFailed === 2);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SNMP inform 127\.0\.0\.1:\d+: /);
  });

  it('drops informs past its in-flight bound and anything after close, counted', async () => {
    const c = await collector();
    const s = sender({ maxInFlight: 2 });
    const results = [1, 2, 3].map((i) => s.send(v2c(c.port, 'informs'), i, registered, '10.0.0.1'));
    expect(results).toEqual([true, true, false]);
    await s.close();
    expect(s.send(v2c(c.port), 4, registered, '10.0.0.1')).toBe(false);
    expect(s.counts()).toMatchObject({ informsAcked: 2, dropped: 2, inFlight: 0 });
  });

  it('delivers SNMPv3 authPriv (SHA, AES) to a collector that knows the user, and refuses a wrong key', async () => {
    const s = sender({ engineName: 'lab-a' });
    const c = await collector({ users: [mon], engineId: s.engineId });
    const target: TrapTarget = {
      host: { address: '127.0.0.1', port: c.port, kind: 'traps', version: '3', securityName: 'mon', level: 'priv' },
      user: mon,
    };
    s.send(target, 7, registered, '10.0.0.3');
    await until(() => c.counts().received === 1);
    expect(c.traps()[0]).toMatchObject({ securityName: 'mon', name: 'ciscoSlaSmartAgentNotifyRegisterSuccess' });

    // A wrong authentication key with the right privacy key too (net-snmp skips that check when v2c
    // authorization is disabled, which this collector never does).
    const badAuth = { ...mon, auth: { protocol: 'sha' as const, key: 'notthekey' } };
    sender({ engineName: 'lab-a' }).send({ host: target.host, user: badAuth }, 9, registered, '10.0.0.3');
    const wrong = { ...mon, priv: { protocol: 'aes' as const, key: 'notthekey' } };
    const other = sender({ engineName: 'lab-a' });
    other.send({ host: target.host, user: wrong }, 8, registered, '10.0.0.3');
    await until(() => c.counts().refused >= 2);
    expect(c.counts().received).toBe(1);
  });

  it('counts a garbage datagram and an unknown community as refused, and goes on', async () => {
    const c = await collector({ communities: ['lab'] });
    const garbage = createSocket('udp4');
    await new Promise<void>((r) => garbage.send(Buffer.from('not snmp at all'), c.port, '127.0.0.1', () => r()));
    garbage.close();
    const s = sender();
    s.send(v2c(c.port), 1, registered, '10.0.0.4');
    s.send({ host: { ...v2c(c.port).host, securityName: 'lab' } }, 2, registered, '10.0.0.4');
    await until(() => c.counts().received === 1 && c.counts().refused === 2);
    expect(c.traps()[0]!.securityName).toBe('lab');
  });

  it('acknowledges an inform sent again (same source and request ID) but counts it once', async () => {
    const c = await collector();
    // The sender's real inform, caught on its way by a socket that then plays it twice to the collector.
    const peer = createSocket('udp4');
    open.push({ close: () => new Promise<void>((r) => peer.close(() => r())) });
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    const caught = new Promise<Buffer>((r) => peer.once('message', (m) => r(m)));
    sender({ informTimeoutMs: 200, informRetries: 0 }).send(
      v2c(peer.address().port, 'informs'),
      7,
      registered,
      '10.0.0.5',
    );
    const inform = await caught;
    const answers: Buffer[] = [];
    peer.on('message', (m) => answers.push(m));
    for (let i = 0; i < 2; i++) peer.send(inform, c.port, '127.0.0.1');
    await until(() => answers.length === 2);
    expect(answers[1]).toEqual(answers[0]);
    expect(c.counts()).toMatchObject({ received: 1, duplicates: 1, refused: 0, devices: { '10.0.0.5': 1 } });
  });
});
