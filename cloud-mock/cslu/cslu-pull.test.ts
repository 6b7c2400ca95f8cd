/**
 * CSLU pull mode against product instances over real HTTP: a small on-box REST API stand-in per test (a
 * signed report, an answer that is not a report list, a device that goes away), behind deviceHttpSender.
 * The lab's real devices are pulled in test/cslu-pull.test.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LabClock } from '#lab';
import { decodeSmartLicense, formatSlpFile, type RumReport } from '#protocol';
import { ackFor, testDevice } from '#test-support/rum-reports.ts';
import { CsluPull } from './cslu-pull.ts';
import { deviceHttpSender } from './cslu-device-sender.ts';
import { CsluService } from './cslu-service.ts';

const T0 = Date.UTC(2026, 0, 5, 9);
const LOGIN = { user: 'cslu', password: 'Pull-Me-1' };
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface StandIn {
  port: number;
  /** What GET /smartlic-service/all-reports answers. */
  reports: () => unknown;
  imported: string[][];
  stop(): Promise<void>;
}

async function standIn(reports: () => unknown): Promise<StandIn> {
  const imported: string[][] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      const expected = `Basic ${Buffer.from(`${LOGIN.user}:${LOGIN.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return reply(401, { status: 'FAILED', message: 'bad login' });
      if (req.url === '/smartlic-service/close-reports') return reply(200, { closed: 0 });
      if (req.url === '/smartlic-service/all-reports') return reply(200, state.reports());
      if (req.url === '/smartlic-service/import') {
        imported.push((JSON.parse(Buffer.concat(chunks).toString()) as { smart_license: string[] }).smart_license);
        return reply(200, { status: 'SUCCESS', installed: 1 });
      }
      reply(404, { status: 'FAILED', message: 'no such resource' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: StandIn = {
    port: (server.address() as AddressInfo).port,
    reports,
    imported,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  closers.push(() => (server.listening ? state.stop() : undefined));
  return state;
}

function offlineCslu() {
  const clock = LabClock.create({ mode: 'stepped', start: T0 });
  const service = new CsluService({ clock });
  const pull = new CsluPull({ service, clock, send: deviceHttpSender(), intervalMs: 0 });
  closers.push(
    () => clock.dispose(),
    () => service.close(),
    () => pull.close(),
  );
  return { clock, service, pull };
}

const ackFile = (acks: string[]) =>
  formatSlpFile(acks.map((a) => ({ element: 'RUMACK', value: decodeSmartLicense(a) })));

describe('CSLU pull', () => {
  it('holds pulled reports; an imported ACK waits for a device that went away, then goes in', async () => {
    const sw1 = testDevice('FOC2144X0AB');
    const report = sw1.report(1_767_600_000);
    const device = await standIn(() => ({ reports: [report] }));
    const { clock, service, pull } = offlineCslu();
    pull.add({ host: '127.0.0.1', port: device.port, ...LOGIN });
    expect(await pull.collect()).toEqual([{ host: '127.0.0.1', ok: true, reports: 1, acks: 0 }]);
    expect(service.status().reports.RECEIVED).toBe(1);
    expect(service.store.instances()).toMatchObject([{ sudi: sw1.sudi, via: 'pull' }]);
    expect(service.exportUsage().reports).toBe(1);
    const ack = ackFor(sw1.sudi, [1_767_600_000]);
    expect(service.importAcks(ackFile([ack]))).toMatchObject({ ok: true, reports: 1 });

    await device.stop();
    await clock.advance(10 * 60_000);
    const [waiting] = pull.list();
    expect(waiting).toMatchObject({ awaitingAcks: 0, acksToDeliver: 1, acksDelivered: 0 });
    expect(waiting!.lastError).toMatch(/127\.0\.0\.1:\d+ unreachable: connect ECONNREFUSED/);

    const back = await standIn(() => ({ reports: [] }));
    pull.add({ host: '127.0.0.1', port: back.port, ...LOGIN });
    expect(await pull.collect('127.0.0.1')).toEqual([{ host: '127.0.0.1', ok: true, reports: 0, acks: 1 }]);
    expect(back.imported).toEqual([[ack]]);
    expect(pull.list()[0]).toMatchObject({ acksToDeliver: 0, acksDelivered: 1 });
    expect(pull.list()[0]!.lastError).toBeUndefined();
  });

  it('records an answer that is not a report list, or a report that is not signed, and keeps nothing of it', async () => {
    const sw1 = testDevice('FOC2144X0AB');
    let answer: unknown = 'not json';
    const device = await standIn(() => answer);
    const { service, pull } = offlineCslu();
    pull.add({ host: '127.0.0.1', port: device.port, ...LOGIN });
    const errorOf = async () => (await pull.collect())![0]!.error;
    expect(await errorOf()).toBe(
      `the device's answer to GET /smartlic-service/all-reports is not a report list ({ "reports": [...] })`,
    );
    answer = { reports: [{ ...sw1.report(1_767_600_000), payload: '{}' }] satisfies RumReport[] };
    expect(await errorOf()).toMatch(/^report 1 the device handed out: its signature does not cover its payload/);
    answer = { reports: [42] };
    expect(await errorOf()).toBe('report 1 the device handed out: it names no UDI');
    expect(service.status().reports).toEqual({ RECEIVED: 0, SENT: 0, ACKED: 0, DELIVERED: 0 });
    expect(pull.list()[0]!.lastError).toBe('report 1 the device handed out: it names no UDI');
  });

  it('refuses a negative pull interval', () => {
    const clock = LabClock.create({ mode: 'stepped', start: T0 });
    const service = new CsluService({ clock });
    closers.push(
      () => clock.dispose(),
      () => service.close(),
    );
    expect(() => new CsluPull({ service, clock, send: deviceHttpSender(), intervalMs: -1 })).toThrow(
      /pull interval must be a whole number of ms ≥ 0, got -1/,
    );
  });
});
