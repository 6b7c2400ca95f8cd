/**
 * A connected CSLU against the real cloud mock, in virtual time: devices push to CSLU, CSLU uploads to CSSM
 * over the swapi SLP routes with its OAuth client, polls for the ACKs after CSSM's poll interval, and hands
 * each device its own ACK, signed by the cloud's license key; CSSM unreachable is retried, not lost.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, CsluService, inProcessSender } from '#cloud';
import { LabClock, openInProcessCloud, type InProcessCloud } from '#lab';
import { createLicenseTrust, decodeSmartLicense, MINUTE, openDocument, SLP_POLL_INTERVAL_S } from '#protocol';
import { testDevice, usageBody } from './support/rum-reports.ts';

const SEED = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const open: { cloud: InProcessCloud; cslu: CsluService; clock: LabClock }[] = [];
afterEach(async () => {
  for (const { cloud, cslu, clock } of open.splice(0)) {
    cslu.close();
    await cloud.close();
    clock.dispose();
  }
});

async function connectedCslu(secret = 'lab-example-admin-secret', virtualAccount = 'DEFAULT') {
  const clock = LabClock.create({ mode: 'stepped', start: Date.UTC(2026, 0, 5, 9) });
  const cloud = await openInProcessCloud(clock, { seed: SEED, seedSource: 'cloud-seed.example.yaml' });
  let reachable = true;
  const sender = inProcessSender((req) =>
    reachable ? cloud.app.handle(req) : Promise.reject(new Error('ECONNREFUSED')),
  );
  const account = {
    clientId: 'lab-example-admin',
    clientSecret: secret,
    smartAccount: 'example.com',
    virtualAccount,
  };
  const cslu = new CsluService({ clock, upstream: createUpstream(sender, account, clock, 'in-process cloud') });
  open.push({ cloud, cslu, clock });
  return { clock, cloud, cslu, setReachable: (r: boolean) => (reachable = r) };
}

function devicePoll(pollId: string) {
  return { data: { timestamp: 0, nonce: 'nonce-0009', poll_id: pollId, action: 'acknowledgements' } };
}

describe('CSLU connected to the cloud mock', () => {
  it('relays two devices’ reports and hands each its own signed ACK after CSSM’s poll interval', async () => {
    const { clock, cloud, cslu } = await connectedCslu();
    const trust = createLicenseTrust([cloud.licenseKeyPem]);
    const sw1 = testDevice('FOC2144X0AB');
    const sw2 = testDevice('FOC2144X0CD');
    const p1 = (cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000, 2)])).body as { poll_id: string })
      .poll_id;
    const p2 = (cslu.reportUsage(usageBody(sw2.sudi, [sw2.report(1_767_600_000)], 'sw2')).body as { poll_id: string })
      .poll_id;
    await clock.advance(1000);
    expect(cslu.status()).toMatchObject({ connected: true, lastFailure: undefined, reports: { SENT: 2 } });
    expect(cslu.poll(devicePoll(p1)).body).toMatchObject({ status: 'OK_POLL' });

    await clock.advance(SLP_POLL_INTERVAL_S * 1000);
    for (const [pollId, device] of [
      [p1, sw1],
      [p2, sw2],
    ] as const) {
      const answer = cslu.poll(devicePoll(pollId)).body as {
        status: string;
        data: { acknowledgements: { smart_license: string }[] };
      };
      expect(answer.status).toBe('COMPLETE');
      const ack = openDocument(decodeSmartLicense(answer.data.acknowledgements[0]!.smart_license), 'RUM_ACK', trust);
      expect(ack).toMatchObject({ ok: true, value: { sudi: device.sudi, report_ids: [1_767_600_000] } });
    }
    expect(cslu.status().reports).toEqual({ RECEIVED: 0, SENT: 0, ACKED: 0, DELIVERED: 2 });
  });

  it('never sends a report twice when uploads overlap', async () => {
    const { clock, cslu } = await connectedCslu();
    const sw1 = testDevice('FOC2144X0AB');
    const sw2 = testDevice('FOC2144X0CD');
    cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    const first = cslu.upload();
    // The admin's "Send to CSSM" and the scheduled upload while the first is under way, with a new report.
    const p2 = (cslu.reportUsage(usageBody(sw2.sudi, [sw2.report(1_767_600_000)], 'sw2')).body as { poll_id: string })
      .poll_id;
    const second = cslu.upload();
    await clock.advance(1000);
    await Promise.all([first, second]);
    await clock.advance(SLP_POLL_INTERVAL_S * 1000);
    expect(
      cslu.store
        .reportsIn('DELIVERED')
        .concat(cslu.store.reportsIn('ACKED'))
        .map((r) => r.refused),
    ).toEqual([undefined, undefined]);
    expect(cslu.poll(devicePoll(p2)).body).toMatchObject({ status: 'COMPLETE' });
  });

  it('pins a refusal of one device’s report to that device; the others of the batch go through', async () => {
    const { clock, cslu } = await connectedCslu();
    const sw1 = testDevice('FOC2144X0AB');
    const sw2 = testDevice('FOC2144X0CD');
    cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    await clock.advance(1000);
    // A report for sw1's UDI signed with another key than the one CSSM pinned for it, beside sw2's.
    const impostor = testDevice('FOC2144X0AB');
    cslu.reportUsage(usageBody(impostor.sudi, [impostor.report(1_767_700_000)]));
    cslu.reportUsage(usageBody(sw2.sudi, [sw2.report(1_767_600_000)], 'sw2'));
    await clock.advance(1000);
    await clock.advance(SLP_POLL_INTERVAL_S * 1000);
    const refused = [
      ...cslu.store.reportsIn('SENT'),
      ...cslu.store.reportsIn('DELIVERED'),
      ...cslu.store.reportsIn('ACKED'),
    ]
      .filter((r) => r.refused !== undefined)
      .map((r) => [r.sudi.udi_serial_number, r.reportId]);
    expect(refused).toEqual([['FOC2144X0AB', 1_767_700_000]]);
    expect(
      cslu.store
        .reportsIn('ACKED')
        .map((r) => r.sudi.udi_serial_number)
        .sort(),
    ).toEqual(['FOC2144X0AB', 'FOC2144X0CD']);
    expect(cslu.status().lastFailure).toBeUndefined();
  });

  it('keeps reports while CSSM is unreachable and sends them when it is back', async () => {
    const { clock, cslu, setReachable } = await connectedCslu();
    setReachable(false);
    const sw1 = testDevice('FOC2144X0AB');
    cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    await clock.advance(1000);
    expect(cslu.status()).toMatchObject({
      reports: { RECEIVED: 1 },
      lastFailure: expect.stringMatching(/ECONNREFUSED/),
    });
    setReachable(true);
    await clock.advance(15 * MINUTE);
    expect(cslu.status()).toMatchObject({ reports: { SENT: 1 }, lastFailure: undefined });
  });

  it('names refused credentials and keeps the reports', async () => {
    const { clock, cslu } = await connectedCslu('wrong-secret');
    const sw1 = testDevice('FOC2144X0AB');
    cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    await clock.advance(1000);
    expect(cslu.status()).toMatchObject({
      reports: { RECEIVED: 1 },
      lastFailure: "CSSM refused CSLU's credentials (HTTP 401)",
    });
  });

  it('keeps the reports, and says why, when CSSM refuses CSLU itself (a virtual account it does not have)', async () => {
    const { clock, cslu } = await connectedCslu('lab-example-admin-secret', 'Default');
    const sw1 = testDevice('FOC2144X0AB');
    cslu.reportUsage(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    await clock.advance(1000);
    expect(cslu.status()).toMatchObject({
      reports: { RECEIVED: 1 },
      lastFailure: expect.stringMatching(/^CSSM refused the upload: .*Default/),
    });
  });
});
