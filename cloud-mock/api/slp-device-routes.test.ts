import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DAY,
  DEFAULT_POLICY,
  MINUTE,
  signBytes,
  slpDevicePaths as paths,
  TRUST_CODE_VALIDITY_DAYS,
  type Policy,
} from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { revokeTokens } from '../domain/index.ts';
import { newToken } from '../domain/test-cloud.test-support.ts';
import type { ProductInstance } from '../store/index.ts';
import {
  DEFAULT_TOKEN,
  EXPORT_TOKEN,
  newKey,
  openSlpCloud,
  SlpDevice,
  TAG,
  TOKEN,
  type Reply,
  type SlpCloud,
} from './slp.test-support.ts';

const OTHER_TAG = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';

function expectFailed(reply: Reply, status: number, code: string, ...mentions: string[]): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ status: 'FAILED', message_code: code, error: { code } });
  for (const m of mentions) expect(reply.body.message).toContain(m);
}

describe.each(storeKinds)('SLP device routes on %s', (kind) => {
  let cloud: SlpCloud;
  let device: SlpDevice;
  const now = () => cloud.opened.clock.now();
  const instanceOf = (d: SlpDevice) =>
    cloud.opened.cloud.run('test', (tx) =>
      tx.findOne('productInstances', { udi: `PID:${d.sudi.udi_pid},SN:${d.sudi.udi_serial_number}` }),
    );
  const events = (kindPrefix: string) =>
    cloud.opened.cloud.run('test', async (tx) =>
      (await tx.events({ limit: 1000 })).filter((e) => e.kind.startsWith(kindPrefix)),
    );
  const trust = async (d: SlpDevice, token = TOKEN) => {
    const r = await d.send(paths.trust, d.trustFields(token));
    expect(r.status, r.text).toBe(200);
    return r;
  };
  const upload = (d: SlpDevice, ...specs: number[]) =>
    d.send(paths.reportUsage, d.usage(specs.map((reportId) => d.report({ reportId }))));
  const poll = (d: SlpDevice, pollId: string, action = 'acknowledgements') =>
    d.send(paths.poll, { poll_id: pollId, action });

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
    device = new SlpDevice(cloud, 'FOC2201SLP1');
  });
  afterEach(async () => {
    await cloud.close();
  });

  describe('trust (license smart trust idtoken)', () => {
    it('answers a TRUST_CODE for the proven key, binds it durably and makes an SLP instance in the VA', async () => {
      const reply = await trust(device);
      expect(reply.body.status).toBe('SUCCESS');
      const code = cloud.open(reply.body.smart_license, 'TRUST_CODE');
      expect(code).toEqual({
        sudi: device.sudi,
        public_key: device.publicKey,
        issued_at: now(),
        valid_from: now() - 5 * MINUTE,
        valid_until: now() - 5 * MINUTE + TRUST_CODE_VALIDITY_DAYS * DAY,
        smart_account: 'Example Corp',
        virtual_account: 'east',
        export_controlled: false,
      });
      await cloud.restart();
      const pi = (await instanceOf(device))!;
      expect(pi.slp).toMatchObject({ trustedKey: device.publicKey, reportKey: device.publicKey, usage: {} });
      expect(pi.hostname).toBe('sw-foc2201slp1');
      const va = await cloud.opened.cloud.run('test', (tx) => tx.get('virtualAccounts', pi.vaId));
      expect(va?.name).toBe('east');
      expect((await events('slp.trusted')).map((e) => e.message)).toEqual([
        expect.stringContaining('PID:C9300-24T,SN:FOC2201SLP1 (sw-foc2201slp1) trusted in east'),
      ]);
      const token = await cloud.opened.cloud.run('test', (tx) => tx.get('registrationTokens', TOKEN));
      expect(token?.uses).toBe(1);
    });

    it('carries the export flag of the token', async () => {
      const reply = await trust(device, EXPORT_TOKEN);
      expect(cloud.open(reply.body.smart_license, 'TRUST_CODE').export_controlled).toBe(true);
      expect((await instanceOf(device))?.exportControlled).toBe(true);
    });

    it('refuses unknown, revoked, expired and used-up tokens as registration does', async () => {
      expectFailed(await device.send(paths.trust, device.trustFields('NO-SUCH-TOKEN-0')), 404, 'TOKEN_UNKNOWN');
      const { cloud: service } = cloud.opened;
      const va = await service.run('test', async (tx) => (await tx.get('registrationTokens', TOKEN))!);
      const once = await newToken(
        service,
        (await service.run('test', (tx) => tx.get('smartAccounts', va.accountId)))!,
        (await service.run('test', (tx) => tx.get('virtualAccounts', va.vaId)))!,
        { value: 'ONE-USE-TOKEN-01', maxUses: 1 },
      );
      await trust(new SlpDevice(cloud, 'FOC2201SLP9'), once.id);
      expectFailed(await device.send(paths.trust, device.trustFields(once.id)), 409, 'TOKEN_USES_EXHAUSTED');
      await service.run('test', async (tx, ctx) =>
        revokeTokens(tx, ctx, (await tx.get('virtualAccounts', va.vaId))!, [TOKEN]),
      );
      expectFailed(await device.send(paths.trust, device.trustFields(TOKEN)), 410, 'TOKEN_REVOKED');
      await cloud.opened.clock.advance(31 * DAY);
      expectFailed(await device.send(paths.trust, device.trustFields(EXPORT_TOKEN)), 410, 'TOKEN_EXPIRED');
      expect(await instanceOf(device)).toBeUndefined();
    });

    it('refuses a device clock more than an hour off, inside and beyond the replay window', async () => {
      for (const skew of [61 * MINUTE, -61 * MINUTE, 3 * DAY]) {
        const r = await device.send(paths.trust, device.trustFields(), { timestamp: now() + skew });
        expectFailed(r, 400, 'TRUST_CLOCK_MISMATCH', 'set the clock');
      }
      await trust(device);
      const inWindow = await device.send(paths.trust, device.trustFields(), { timestamp: now() + 59 * MINUTE });
      expect(inWindow.status).toBe(200);
    });

    it('needs proof of possession of the key presented, and a supported key', async () => {
      expectFailed(
        await device.send(paths.trust, device.trustFields(), { key: newKey().privateKey }),
        401,
        'PROOF_OF_POSSESSION_FAILED',
      );
      expectFailed(await device.send(paths.trust, device.trustFields(), { key: null }), 401, 'SIGNATURE_MISSING');
      expectFailed(
        await device.send(paths.trust, { ...device.trustFields(), public_key: 'bm90IGEga2V5' }),
        400,
        'KEY_INVALID',
      );
      expect(await instanceOf(device)).toBeUndefined();
    });

    it('refuses a UDI trusted with another key unless force, which rebinds it', async () => {
      await trust(device);
      const thief = new SlpDevice(cloud, device.sudi.udi_serial_number);
      expectFailed(await thief.send(paths.trust, thief.trustFields()), 409, 'TRUST_KEY_CONFLICT', 'force');
      expect((await instanceOf(device))?.slp?.trustedKey).toBe(device.publicKey);
      expect((await thief.send(paths.trust, thief.trustFields(TOKEN, true))).status).toBe(200);
      expect((await instanceOf(device))?.slp?.trustedKey).toBe(thief.publicKey);
      expectFailed(await upload(device, 1_760_000_000), 401, 'SIGNATURE_INVALID');
    });

    it('refuses a UDI of another VA unless force, which moves it', async () => {
      await trust(device);
      expectFailed(await device.send(paths.trust, device.trustFields(DEFAULT_TOKEN)), 409, 'UDI_REGISTERED_ELSEWHERE');
      expect((await device.send(paths.trust, device.trustFields(DEFAULT_TOKEN, true))).status).toBe(200);
      const pi = (await instanceOf(device))!;
      expect((await cloud.opened.cloud.run('test', (tx) => tx.get('virtualAccounts', pi.vaId)))?.name).toBe('DEFAULT');
    });

    it('counts a signed request once, and refuses bodies off the schema', async () => {
      const { text, headers } = device.body(device.trustFields());
      expect((await cloud.post(paths.trust, text, headers)).status).toBe(200);
      expectFailed(await cloud.post(paths.trust, text, headers), 409, 'REQUEST_REPLAYED');
      expectFailed(await cloud.post(paths.trust, '{"data":', headers), 400, 'MALFORMED_JSON');
      expectFailed(await device.send(paths.trust, { sudi: device.sudi }), 400, 'SCHEMA_VIOLATION');
    });
  });

  describe('report usage and poll', () => {
    beforeEach(async () => {
      await trust(device);
    });

    it('refuses a device without a trust code, and one whose trust code expired', async () => {
      const stranger = new SlpDevice(cloud, 'FOC2201SLP2');
      expectFailed(await upload(stranger, 1_760_000_000), 403, 'TRUST_MISSING', 'license smart trust idtoken');
      await cloud.opened.clock.advance(TRUST_CODE_VALIDITY_DAYS * DAY);
      expectFailed(await upload(device, 1_760_000_000), 403, 'TRUST_MISSING', 'expired');
    });

    it('accepts reports with 202 OK_POLL and a poll id beyond 2^53 as a bare JSON integer; records usage', async () => {
      const reply = await device.send(
        paths.reportUsage,
        device.usage([
          device.report({ reportId: 1_760_000_001, count: 1, endTime: 1_760_000_900 }),
          device.report({ reportId: 1_760_000_002, count: 3, endTime: 1_760_001_800 }),
          device.report({ reportId: 1_760_000_003, tag: OTHER_TAG, count: 1 }),
        ]),
      );
      expect(reply.status, reply.text).toBe(202);
      expect(reply.body).toMatchObject({ status: 'OK_POLL', poll_interval: 300, action: 'acknowledgements' });
      const digits = /"poll_id":(\d+)[,}]/.exec(reply.text)?.[1];
      expect(digits).toBe(reply.body.poll_id);
      expect(BigInt(digits!) > 2n ** 53n).toBe(true);
      const pi = (await instanceOf(device))!;
      expect(pi.slp?.usage).toEqual({
        [TAG]: { count: 3, reportedAt: now() },
        [OTHER_TAG]: { count: 1, reportedAt: now() },
      });
      expect(pi.entitlements).toEqual({ [TAG]: 3, [OTHER_TAG]: 1 });
      const pool = await cloud.opened.cloud.run('test', (tx) =>
        tx.findOne('licensePools', { va_id: pi.vaId, tag: TAG }),
      );
      expect(pool?.inUse).toBe(3);
      expect((await events('slp.usage-reported')).map((e) => e.data.reportIds)).toEqual([
        [1_760_000_001, 1_760_000_002, 1_760_000_003],
      ]);
    });

    it('answers COMPLETE with a signed RUM_ACK per device, the same on every poll', async () => {
      const pollId = (await upload(device, 1_760_000_001, 1_760_000_002)).body.poll_id!;
      const first = await poll(device, pollId);
      expect(first.status, first.text).toBe(200);
      expect(first.body).toMatchObject({ status: 'COMPLETE', type: 'acknowledgements' });
      const [ack] = (first.body.data as { acknowledgements: { smart_license: string }[] }).acknowledgements;
      expect(ack).toMatchObject({ sudi: device.sudi, status: 'SUCCESS', status_message: null });
      expect(cloud.open(ack!.smart_license, 'RUM_ACK')).toEqual({
        sudi: device.sudi,
        report_ids: [1_760_000_001, 1_760_000_002],
        acknowledged_at: now(),
        smart_account: 'Example Corp',
        virtual_account: 'east',
      });
      await cloud.opened.clock.advance(MINUTE);
      expect((await poll(device, pollId)).body).toEqual(first.body);
      expect(await events('slp.acknowledged')).toHaveLength(1);
    });

    it('accepts the poll id as a bare integer or a string, and keeps polls across a restart', async () => {
      const pollId = (await upload(device, 1_760_000_001)).body.poll_id!;
      await cloud.restart();
      const { text } = device.body({ poll_id: pollId, action: 'acknowledgements' });
      const bare = text.replace(`"poll_id":"${pollId}"`, `"poll_id":${pollId}`);
      expect(bare).not.toBe(text);
      const asNumber = await cloud.post(paths.poll, bare, { 'x-lab-signature': signBytes(bare, device.privateKey) });
      expect(asNumber.body.status, asNumber.text).toBe('COMPLETE');
      expect((await poll(device, pollId)).body).toEqual(asNumber.body);
    });

    it('answers OK_POLL until the result is ready by the lab clock', async () => {
      await cloud.close();
      cloud = await openSlpCloud(kind, { slpResultDelayMs: 10 * MINUTE });
      device = new SlpDevice(cloud, 'FOC2201SLP1');
      await trust(device);
      const pollId = (await upload(device, 1_760_000_001)).body.poll_id!;
      const pending = await poll(device, pollId);
      expect(pending.status).toBe(200);
      expect(pending.body).toEqual({ status: 'OK_POLL', poll_id: pollId, message: '' });
      expect(pending.text).toContain(`"poll_id":${pollId}`);
      await cloud.opened.clock.advance(10 * MINUTE - 1);
      expect((await poll(device, pollId)).body.status).toBe('OK_POLL');
      await cloud.opened.clock.advance(1);
      expect((await poll(device, pollId)).body.status).toBe('COMPLETE');
    });

    it('answers FAILED for an unknown poll id, another device’s poll or the wrong action', async () => {
      const pollId = (await upload(device, 1_760_000_001)).body.poll_id!;
      expectFailed(await poll(device, '4611686018427387904'), 404, 'POLL_UNKNOWN');
      expectFailed(await poll(device, pollId, 'authorizations'), 404, 'POLL_UNKNOWN');
      const other = new SlpDevice(cloud, 'FOC2201SLP2');
      await trust(other);
      expectFailed(await poll(other, pollId), 404, 'POLL_UNKNOWN');
      expectFailed(
        await device.send(paths.poll, { poll_id: pollId, action: 'acknowledgements' }, { key: null }),
        401,
        'SIGNATURE_MISSING',
      );
      expectFailed(
        await device.send(paths.poll, { poll_id: 'x1', action: 'acknowledgements' }),
        400,
        'SCHEMA_VIOLATION',
      );
    });

    it('refuses a report id already accepted as FAILED, recording nothing of that upload', async () => {
      expect((await upload(device, 1_760_000_001)).status).toBe(202);
      const again = await device.send(
        paths.reportUsage,
        device.usage([
          device.report({ reportId: 1_760_000_002, count: 2 }),
          device.report({ reportId: 1_760_000_001, count: 2 }),
        ]),
      );
      expectFailed(again, 409, 'RUM_REPORT_DUPLICATE', '1760000001');
      expect((await instanceOf(device))?.slp?.usage[TAG]?.count).toBe(1);
      expectFailed(await upload(device, 1_760_000_005, 1_760_000_005), 409, 'RUM_REPORT_DUPLICATE');
      expect(await cloud.opened.cloud.run('test', (tx) => tx.list('rumReports'))).toHaveLength(1);
    });

    it('accepts one of two concurrent uploads of the same report', async () => {
      const replies = await Promise.all([upload(device, 1_760_000_001), upload(device, 1_760_000_001)]);
      expect(replies.map((r) => r.status).sort()).toEqual([202, 409]);
      expect(await cloud.opened.cloud.run('test', (tx) => tx.list('rumReports'))).toHaveLength(1);
    });

    it('refuses a report whose signature does not cover its payload, or whose key is not the trusted one', async () => {
      const report = device.report({ reportId: 1_760_000_001 });
      const tampered = { ...report, payload: report.payload.replace('"value":"1"', '"value":"0"') };
      expectFailed(
        await device.send(paths.reportUsage, device.usage([tampered])),
        400,
        'RUM_REPORT_INVALID',
        'signature',
      );
      const foreign = device.report({ reportId: 1_760_000_001 }, { key: newKey() });
      expectFailed(await device.send(paths.reportUsage, device.usage([foreign])), 403, 'RUM_KEY_MISMATCH');
      expect((await instanceOf(device))?.slp?.usage).toEqual({});
    });

    it('refuses reports whose UDIs disagree, and entries of another device', async () => {
      const other = new SlpDevice(cloud, 'FOC2201SLP2');
      const ofOther = device.report(
        { reportId: 1_760_000_001 },
        { payload: device.payload({ reportId: 1_760_000_001 }, other.sudi) },
      );
      expectFailed(await device.send(paths.reportUsage, device.usage([ofOther])), 400, 'RUM_REPORT_INVALID', 'one UDI');
      const resigned = device.report({ reportId: 1_760_000_001 });
      resigned.signature.sudi = other.sudi;
      expectFailed(await device.send(paths.reportUsage, device.usage([resigned])), 400, 'RUM_REPORT_INVALID');
      const both = {
        reports: [
          ...device.usage([device.report({ reportId: 1_760_000_001 })]).reports,
          ...other.usage([other.report({ reportId: 1_760_000_002 })]).reports,
        ],
      };
      expectFailed(await device.send(paths.reportUsage, both), 403, 'IDENTITY_MISMATCH');
    });

    it('refuses payloads that are not RUM reports, and requests not signed by the trusted key', async () => {
      const bad = device.report({ reportId: 1 }, { payload: { version: '1.0' } as never });
      expectFailed(
        await device.send(paths.reportUsage, device.usage([bad])),
        400,
        'RUM_REPORT_INVALID',
        'not a RUM report',
      );
      expectFailed(
        await device.send(paths.reportUsage, device.usage([device.report({ reportId: 1 })]), {
          key: newKey().privateKey,
        }),
        401,
        'SIGNATURE_INVALID',
      );
      expectFailed(
        await device.send(paths.reportUsage, device.usage([device.report({ reportId: 1 })]), { key: null }),
        401,
        'SIGNATURE_MISSING',
      );
      expectFailed(await device.send(paths.reportUsage, { reports: [] }), 400, 'SCHEMA_VIOLATION');
    });

    it('sends a custom VA policy with the next ACK of each instance, once', async () => {
      const custom: Policy = { ...DEFAULT_POLICY, name: 'Lab policy', origin: 'Customer Policy', ack_required: false };
      await cloud.opened.cloud.run('test', async (tx) => {
        const pi = (await tx.findOne('productInstances', { udi: 'PID:C9300-24T,SN:FOC2201SLP1' })) as ProductInstance;
        const va = (await tx.get('virtualAccounts', pi.vaId))!;
        await tx.put('virtualAccounts', { ...va, slpPolicy: { policy: custom, setAt: now() } });
      });
      const ackOf = async (reportId: number) => {
        const pollId = (await upload(device, reportId)).body.poll_id!;
        const r = await poll(device, pollId);
        return cloud.open(
          (r.body.data as { acknowledgements: { smart_license: string }[] }).acknowledgements[0]!.smart_license,
          'RUM_ACK',
        );
      };
      expect((await ackOf(1_760_000_001)).policy).toEqual(custom);
      expect((await ackOf(1_760_000_002)).policy).toBeUndefined();
    });
  });
});
