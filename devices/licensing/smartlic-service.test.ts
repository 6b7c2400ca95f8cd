/** The on-box /smartlic-service REST API of an SLP device (CSLU pull mode), through the device. */
import { describe, expect, it } from 'vitest';
import { DAY, encodeSmartLicense, type RumReport } from '#protocol';
import { ackFor, mnemonics, signed, slpLab, sudiOf } from './slp.test-support.ts';

async function offDevice() {
  const lab = slpLab();
  const d = lab.device();
  d.setSlpConfig({ transport: 'off' });
  await lab.clock.advance(DAY);
  return { lab, d };
}

describe('/smartlic-service', () => {
  it('lists reports, closes the open ones, hands out the signed ones, by id and by days', async () => {
    const { lab, d } = await offDevice();
    const list = d.smartlicService({ method: 'GET', path: '/smartlic-service/list' });
    expect(list.status).toBe(200);
    expect((list.body as { reports: { state: string }[] }).reports.map((r) => r.state)).toEqual(['OPEN', 'OPEN']);
    expect(d.smartlicService({ method: 'GET', path: '/smartlic-service/all-reports' }).body).toEqual({ reports: [] });
    expect(d.smartlicService({ method: 'POST', path: '/smartlic-service/close-reports' })).toEqual({
      status: 200,
      body: { closed: 2 },
    });
    const all = (
      d.smartlicService({ method: 'GET', path: '/smartlic-service/all-reports' }).body as { reports: RumReport[] }
    ).reports;
    expect(all).toHaveLength(2);
    const id = JSON.parse(all[0]!.payload).asset_identification.report_id as number;
    expect(d.smartlicService({ method: 'GET', path: `/smartlic-service/rum-report-id/${id}` }).body).toEqual({
      report: all[0],
    });
    expect(d.smartlicService({ method: 'GET', path: '/smartlic-service/rum-report-id/1' }).status).toBe(404);
    await lab.clock.advance(3 * DAY);
    const days = (n: number) =>
      (d.smartlicService({ method: 'GET', path: `/smartlic-service/days/${n}` }).body as { reports: unknown[] })
        .reports;
    expect(days(2)).toHaveLength(0);
    expect(days(4)).toHaveLength(2);
    expect(d.smartlicService({ method: 'GET', path: '/smartlic-service/days/x' }).status).toBe(400);
  });

  it('imports an ACK as base64; refuses a tampered one whole; answers 404 and 405 where due', async () => {
    const { d } = await offDevice();
    d.smartlicService({ method: 'POST', path: '/smartlic-service/close-reports' });
    const ids = d
      .slp()!
      .reports.filter((r) => r.state === 'CLOSED')
      .map((r) => r.id);
    const ack = ackFor(d, ids);
    const tampered = { ...ack, payload: ack.payload.replace('Default', 'Other') };
    const before = JSON.stringify(d.slp()!.reports);
    expect(
      d.smartlicService({
        method: 'POST',
        path: '/smartlic-service/import',
        body: { smart_license: encodeSmartLicense(tampered) },
      }),
    ).toEqual({
      status: 400,
      body: { status: 'FAILED', message: 'nothing was installed: signature is not valid' },
    });
    const foreign = signed('POLICY', {
      policy: d.slp()!.policy.policy,
      issued_at: 0,
      sudi: { ...sudiOf(d), udi_serial_number: 'X1' },
    });
    expect(
      d.smartlicService({
        method: 'POST',
        path: '/smartlic-service/import',
        body: { smart_license: [encodeSmartLicense(ack), encodeSmartLicense(foreign)] },
      }).status,
    ).toBe(400);
    expect(JSON.stringify(d.slp()!.reports)).toBe(before);
    expect(
      d.smartlicService({
        method: 'POST',
        path: '/smartlic-service/import',
        body: { smart_license: encodeSmartLicense(ack) },
      }),
    ).toEqual({
      status: 200,
      body: { status: 'SUCCESS', installed: 1 },
    });
    expect(mnemonics(d)).toContain('RUM_ACK_RECEIVED');
    expect(d.smartlicService({ method: 'POST', path: '/smartlic-service/import', body: {} }).status).toBe(400);
    expect(d.smartlicService({ method: 'GET', path: '/smartlic-service/import' }).status).toBe(405);
    expect(d.smartlicService({ method: 'GET', path: '/smartlic-service/nope' }).status).toBe(404);
    expect(d.smartlicService({ method: 'GET', path: '/other' }).status).toBe(404);
  });

  it('a classic image has no SLP agent: 404 saying why, not a server error', () => {
    const d = slpLab().device({ release: '16.12.4' });
    expect(d.smartlicService({ method: 'GET', path: '/smartlic-service/list' })).toEqual({
      status: 404,
      body: {
        status: 'FAILED',
        message:
          'no such resource /smartlic-service/list: this image does not run Smart Licensing Using Policy (IOS XE 17.3.2 and later serve /smartlic-service)',
      },
    });
  });
});
