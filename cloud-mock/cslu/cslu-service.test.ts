import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabClock } from '#lab';
import { formatSlpFile, parseSlpFile, decodeSmartLicense } from '#protocol';
import { CsluService } from './cslu-service.ts';
import { CsluStore } from './cslu-store.ts';
import { ackFor, testDevice, usageBody } from '#test-support/rum-reports.ts';

const T0 = Date.UTC(2026, 0, 5, 9);
const services: CsluService[] = [];
const dirs: string[] = [];

function offlineCslu(store?: CsluStore): CsluService {
  const clock = LabClock.create({ mode: 'stepped', start: T0 });
  const service = new CsluService({ clock, ...(store ? { store } : {}) });
  services.push(service);
  return service;
}

function ackFile(acks: string[]): string {
  return formatSlpFile(acks.map((a) => ({ element: 'RUMACK', value: decodeSmartLicense(a) })));
}

afterEach(() => {
  for (const s of services.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('CSLU disconnected from CSSM', () => {
  it('holds pushed reports, exports them, and hands each device its ACK once imported', () => {
    const cslu = offlineCslu();
    const sw1 = testDevice('FOC2144X0AB');
    const pushed = cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000), sw1.report(1_767_600_900)]));
    expect(pushed.status).toBe(202);
    const pollId = (pushed.body as { poll_id: string }).poll_id;
    expect(BigInt(pollId)).toBeGreaterThan(2n ** 53n);
    const poll = { data: { timestamp: T0, nonce: 'nonce-0002', poll_id: pollId, action: 'acknowledgements' } };
    expect(cslu.poll(poll)).toEqual({ status: 200, body: { status: 'OK_POLL', poll_id: pollId, message: '' } });

    const exported = cslu.exportUsage();
    expect(exported.reports).toBe(2);
    const entries = parseSlpFile(exported.file);
    expect(entries.ok && entries.value.map((e) => e.element)).toEqual(['RUMReport', 'RUMReport']);
    expect(cslu.exportUsage().reports).toBe(0);
    expect(cslu.status().reports).toEqual({ RECEIVED: 0, SENT: 2, ACKED: 0, DELIVERED: 0 });

    const ack = ackFor(sw1.sudi, [1_767_600_000, 1_767_600_900]);
    expect(cslu.importAcks(ackFile([ack]))).toEqual({ ok: true, acks: 1, reports: 2 });
    const done = cslu.poll(poll);
    expect(done.body).toEqual({
      status: 'COMPLETE',
      type: 'acknowledgements',
      data: { acknowledgements: [{ sudi: sw1.sudi, smart_license: ack, status: 'SUCCESS', status_message: null }] },
    });
    expect(cslu.status().reports.DELIVERED).toBe(2);
    // A device that lost the answer asks again and gets the same ACK.
    expect(cslu.poll(poll).body).toEqual(done.body);
  });

  it('keeps one copy of a report pushed twice', () => {
    const cslu = offlineCslu();
    const sw1 = testDevice('FOC2144X0AB');
    const report = sw1.report(1_767_600_000);
    cslu.reportUsage(usageBody(sw1.sudi, [report]));
    cslu.reportUsage(usageBody(sw1.sudi, [report]));
    expect(cslu.status()).toMatchObject({ instances: 1, reports: { RECEIVED: 1 } });
  });

  it('refuses a tampered report, a report of another device and garbage, keeping nothing of the upload', () => {
    const cslu = offlineCslu();
    const sw1 = testDevice('FOC2144X0AB');
    const sw2 = testDevice('FOC2144X0CD');
    const good = sw1.report(1_767_600_000);
    const tampered = {
      ...sw1.report(1_767_600_900, 1),
      payload: sw1.report(1_767_600_900, 1).payload.replace('"1"', '"9"'),
    };
    expect(cslu.reportUsage(usageBody(sw1.sudi, [good, tampered]))).toEqual({
      status: 400,
      body: {
        status: 'FAILED',
        message:
          'report 2 of PID:C9300-24P,SN:FOC2144X0AB: its signature does not cover its payload with the key it names',
      },
    });
    expect(cslu.reportUsage(usageBody(sw1.sudi, [sw2.report(1_767_600_000)])).body).toEqual({
      status: 'FAILED',
      message: 'report 1 of PID:C9300-24P,SN:FOC2144X0AB: it is not a report of PID:C9300-24P,SN:FOC2144X0AB',
    });
    expect(cslu.reportUsage({ data: { reports: 'x' } }).status).toBe(400);
    expect(cslu.status()).toMatchObject({ instances: 0, reports: { RECEIVED: 0 } });
  });

  it('answers FAILED for a poll it never gave and refuses ACK files it cannot read', () => {
    const cslu = offlineCslu();
    const poll = { data: { timestamp: T0, nonce: 'nonce-0002', poll_id: '42', action: 'acknowledgements' } };
    expect(cslu.poll(poll)).toEqual({
      status: 404,
      body: { status: 'FAILED', message: 'no poll 42 for acknowledgements' },
    });
    const sw1 = testDevice('FOC2144X0AB');
    const file = ackFile([ackFor(sw1.sudi, [1])]);
    expect(cslu.importAcks(file.slice(0, file.length - 30))).toEqual({ ok: false, reason: 'file is truncated' });
    expect(cslu.importAcks(formatSlpFile([{ element: 'RUMReport', value: sw1.report(1) }]))).toEqual({
      ok: false,
      reason: '<RUMReport> is not an ACK',
    });
    expect(cslu.importAcks(formatSlpFile([{ element: 'RUMACK', value: { kind: 'POLICY' } }]))).toEqual({
      ok: false,
      reason: 'an ACK in the file names no product instance',
    });
    // An ACK for reports this CSLU never held changes nothing.
    expect(cslu.importAcks(file)).toEqual({ ok: true, acks: 1, reports: 0 });
  });

  it('keeps its product instances, reports and polls across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cslu-'));
    dirs.push(dir);
    const path = join(dir, 'cslu.db');
    const first = offlineCslu(new CsluStore(path));
    const sw1 = testDevice('FOC2144X0AB');
    const pollId = (first.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000)])).body as { poll_id: string })
      .poll_id;
    first.close();
    const again = offlineCslu(new CsluStore(path));
    expect(again.status()).toMatchObject({ instances: 1, reports: { RECEIVED: 1 } });
    expect(again.store.instances()[0]).toMatchObject({ sudi: sw1.sudi, hostname: 'sw1', via: 'push' });
    again.importAcks(ackFile([ackFor(sw1.sudi, [1_767_600_000])]));
    const poll = { data: { timestamp: T0, nonce: 'nonce-0002', poll_id: pollId, action: 'acknowledgements' } };
    expect(again.poll(poll).body).toMatchObject({ status: 'COMPLETE' });
    // Poll ids keep counting after the restart.
    const next = (again.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_700_000)])).body as { poll_id: string })
      .poll_id;
    expect(BigInt(next)).toBe(BigInt(pollId) + 1n);
  });
});
