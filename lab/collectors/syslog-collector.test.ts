import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MockCa } from '#cloud';
import { formatRfc5424, formatWireMessage, SyslogSender, type DeviceEvent } from '#devices';
import { SyslogCollector } from './syslog-collector.ts';

const line = (text: string) => `*Mar  1 00:00:42.133: %SMART_LIC-6-AGENT_READY: ${text}`;
const ios = (counter: number, origin = 'R1') =>
  formatWireMessage(line(`ready ${counter}`), { severity: 6, counter, originId: origin });
const event = (device: string): DeviceEvent => ({
  device,
  udi: 'PID:C9300-24P,SN:FOC2301X0AB',
  seq: 1,
  labTime: 0,
  deviceTime: Date.UTC(2026, 0, 1),
  syslog: { facility: 'SMART_LIC', severity: 3, mnemonic: 'COMM_FAILED', text: 'Communications failure' },
  line: '',
});

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function collector(): Promise<SyslogCollector> {
  let tick = 0;
  const c = await SyslogCollector.listen({ now: () => ++tick, maxMessageBytes: 2048 });
  open.push(c);
  return c;
}

function sender(): SyslogSender {
  const s = new SyslogSender();
  open.push(s);
  return s;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('SyslogCollector', () => {
  it('receives the IOS layout over UDP, by origin-id, with its tag and counter', async () => {
    const c = await collector();
    const s = sender();
    for (let n = 1; n <= 3; n++) s.send({ address: '127.0.0.1', port: c.udpPort, transport: 'udp' }, ios(n));
    await until(() => c.counts().received === 3);
    const [first] = c.messages({ device: 'R1' });
    expect(first).toMatchObject({
      format: 'ios',
      transport: 'udp',
      pri: 190,
      facility: 23,
      severity: 6,
      counter: 1,
      hostname: 'R1',
      tag: { facility: 'SMART_LIC', severity: 6, mnemonic: 'AGENT_READY' },
      text: 'ready 1',
      receivedAt: 1,
    });
    expect(c.counts().devices.R1).toEqual({ received: 3, lost: 0, udp: 3, tcp: 0, tls: 0 });
    expect(s.counts()).toMatchObject({ sent: 3, dropped: 0, failed: 0, queued: 0 });
  });

  it('names a device without origin-id by its source address', async () => {
    const c = await collector();
    sender().send({ address: '127.0.0.1', port: c.udpPort, transport: 'udp' }, `<189>5: ${line('x')}`);
    await until(() => c.counts().received === 1);
    expect(c.messages()[0]).toMatchObject({ device: '127.0.0.1', counter: 5 });
  });

  it('receives RFC 5424 over TCP with octet counting, UDI and sequence from the structured data', async () => {
    const c = await collector();
    const s = sender();
    const host = { address: '127.0.0.1', port: c.tcpPort, transport: 'tcp' } as const;
    for (let n = 1; n <= 50; n++)
      s.send(
        host,
        formatRfc5424(event('SW-7'), { facility: 'local7', counter: n, address: '10.0.0.7', release: '17.9.4' }),
      );
    await until(() => c.counts().received === 50);
    expect(c.messages()[49]).toMatchObject({
      format: 'rfc5424',
      transport: 'tcp',
      device: 'SW-7',
      counter: 50,
      udi: 'PID:C9300-24P,SN:FOC2301X0AB',
      tag: { mnemonic: 'COMM_FAILED', severity: 3 },
      text: 'Communications failure',
    });
    expect(c.counts().lost).toBe(0);
  });

  it('counts gaps in a device counter as loss, and a counter back at 1 as a restart', async () => {
    const c = await collector();
    const s = sender();
    const host = { address: '127.0.0.1', port: c.tcpPort, transport: 'tcp' } as const;
    for (const n of [1, 2, 5, 6, 1, 2]) s.send(host, ios(n));
    await until(() => c.counts().received === 6);
    expect(c.counts()).toMatchObject({ lost: 2, devices: { R1: { received: 6, lost: 2 } } });
  });

  it('follows one counter per transport: a device logging here over UDP and TCP shows no loss', async () => {
    const c = await collector();
    const s = sender();
    const udp = { address: '127.0.0.1', port: c.udpPort, transport: 'udp' } as const;
    const tcp = { address: '127.0.0.1', port: c.tcpPort, transport: 'tcp' } as const;
    // UDP runs ahead of TCP, as it does while a TCP connection opens.
    for (const n of [1, 2, 3, 4]) s.send(udp, ios(n));
    await until(() => c.counts().received === 4);
    for (const n of [1, 2, 3, 4]) s.send(tcp, ios(n));
    s.send(udp, ios(6));
    await until(() => c.counts().received === 9);
    expect(c.counts()).toMatchObject({ lost: 1, devices: { R1: { received: 9, lost: 1, udp: 5, tcp: 4, tls: 0 } } });
  });

  it('drops garbage and oversized datagrams and keeps every good one of the same burst', async () => {
    const c = await collector();
    const raw = createSocket('udp4');
    open.push({ close: () => new Promise<void>((r) => raw.close(() => r())) });
    const sends: Promise<void>[] = [];
    const send = (b: Buffer | string) =>
      sends.push(new Promise<void>((r) => raw.send(b, c.udpPort, '127.0.0.1', () => r())));
    for (let n = 1; n <= 100; n++) {
      send(ios(n));
      if (n % 10 === 0) send(Buffer.from([0xff, 0x00, 0x3c, 0x39]));
      if (n % 25 === 0) send('x'.repeat(4096));
      if (n % 20 === 0) send('<999>1: %A-1-B: pri out of range');
    }
    await Promise.all(sends);
    await until(() => c.counts().received === 100);
    await until(() => c.counts().malformed === 15 && c.counts().oversized === 4);
    expect(c.counts().lost).toBe(0);
  });

  it('takes LF framing, skips an oversized octet-counted frame, survives a half-open connection', async () => {
    const c = await collector();
    const half = connect({ host: '127.0.0.1', port: c.tcpPort });
    await new Promise((r) => half.once('connect', r));
    half.write('57 <190>1: R9: %SMART'); // never completed
    const peer = connect({ host: '127.0.0.1', port: c.tcpPort });
    await new Promise((r) => peer.once('connect', r));
    const big = 'y'.repeat(5000);
    peer.write(`${ios(1)}\n`);
    peer.write(`5000 ${big.slice(0, 100)}`);
    peer.write(big.slice(100));
    peer.write(`${Buffer.byteLength(ios(2))} ${ios(2)}${ios(3)}\r\n`);
    await until(() => c.counts().received === 3);
    expect(c.counts().oversized).toBe(1);
    expect(c.messages().map((m) => m.counter)).toEqual([1, 2, 3]);
    half.destroy();
    peer.destroy();
  });
});

describe('syslog over TLS (RFC 5425)', () => {
  const ca = MockCa.generate(Date.now());
  const tls = ca.issueServerCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'], now: Date.now() });

  it('delivers octet-counted messages to a sender that trusts the CA, and refuses one that does not', async () => {
    const c = await SyslogCollector.listen({ now: () => 0, tls: { key: tls.keyPem, cert: tls.certPem } });
    open.push(c);
    expect(c.tlsPort).toBeGreaterThan(0);
    const host = { address: '127.0.0.1', port: c.tlsPort, transport: 'tls' } as const;
    const trusting = new SyslogSender({ tlsCa: ca.certPem });
    open.push(trusting);
    for (let n = 1; n <= 3; n++) trusting.send(host, ios(n));
    await until(() => c.counts().received === 3);
    expect(c.messages().map((m) => [m.transport, m.counter])).toEqual([
      ['tls', 1],
      ['tls', 2],
      ['tls', 3],
    ]);

    const problems: string[] = [];
    const doubting = new SyslogSender({ onProblem: (p) => problems.push(p) });
    open.push(doubting);
    doubting.send(host, ios(4));
    await until(() => doubting.counts().failed === 1 && c.counts().tlsFailures === 1);
    expect(problems[0]).toMatch(
      /^syslog to tls 127\.0\.0\.1:\d+: .*(self-signed|unable to get local issuer|certificate)/,
    );
    expect(c.counts().received).toBe(3);
  });
});

describe('SyslogSender', () => {
  it('counts what a dead TCP host loses and reports it once, without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const problems: string[] = [];
    const s = new SyslogSender({ onProblem: (p) => problems.push(p) });
    open.push(s);
    for (let n = 1; n <= 5; n++) expect(s.send({ address: '127.0.0.1', port, transport: 'tcp' }, ios(n))).toBe(true);
    await until(() => s.counts().failed === 5);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^syslog to tcp 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
  });

  it('drops past its queue bound and after close, counted', async () => {
    const c = await collector();
    const s = new SyslogSender({ maxQueued: 2 });
    const host = { address: '127.0.0.1', port: c.udpPort, transport: 'udp' } as const;
    const results = [1, 2, 3, 4].map((n) => s.send(host, ios(n)));
    expect(results).toEqual([true, true, false, false]);
    await s.close();
    expect(s.send(host, ios(5))).toBe(false);
    expect(s.counts()).toMatchObject({ sent: 2, dropped: 3 });
  });
});
