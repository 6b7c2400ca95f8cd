import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, slpApiPaths, slpDevicePaths } from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { SlpOperations } from '../domain/index.ts';
import { expectDomainError } from '../domain/test-cloud.test-support.ts';
import { numericId } from './cisco-format.ts';
import { SLA_BASE } from './management-access.ts';
import { HSEC, newKey, openSlpCloud, SlpDevice, TAG, type Reply, type SlpCloud, type Who } from './slp.test-support.ts';

const SUMMARY = '/v3/licenses/summary';
const at = (path: string) => path.slice(SLA_BASE.length);
const csw = (account = 'example.com', va = 'east') => ({
  'x-csw-smart-account-id': account,
  'x-csw-virtual-account-id': va,
  'x-csw-requesting-system': '{"display_name":"CSLU"}',
});
const envelope = (fields: object) => ({ data: { timestamp: 1, nonce: 'nonce-0001', ...fields } });

function expectFailed(reply: Reply, status: number, code: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ status: 'FAILED', message_code: code, error: { code } });
}

describe.each(storeKinds)('SLP API routes for CSLU and tools on %s', (kind) => {
  let cloud: SlpCloud;
  let device: SlpDevice;
  const upload = (d: SlpDevice, reportId: number, opts: { count?: number; who?: Who; headers?: object } = {}) =>
    cloud.api(
      opts.who ?? 'east',
      'POST',
      at(slpApiPaths.reportUsage),
      envelope(d.usage([d.report({ reportId, count: opts.count ?? 1 })])),
      { ...csw(), ...opts.headers },
    );
  const poll = (pollId: unknown, headers = csw()) =>
    cloud.api('east', 'POST', at(slpApiPaths.poll), envelope({ poll_id: pollId, action: 'acknowledgements' }), headers);

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
    device = new SlpDevice(cloud, 'FOC2201API1');
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('accepts reports of a device without trust, pins its key, and answers the ACK on poll', async () => {
    const accepted = await upload(device, 1_760_000_001);
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'OK_POLL', action: 'acknowledgements', poll_interval: 300 });
    expect(accepted.text).toMatch(/"poll_id":\d{19},/);
    const pi = await cloud.opened.cloud.run('test', (tx) =>
      tx.findOne('productInstances', { udi: 'PID:C9300-24T,SN:FOC2201API1' }),
    );
    expect(pi?.slp).toMatchObject({ trustedKey: null, reportKey: device.publicKey, usage: { [TAG]: { count: 1 } } });
    const complete = await poll(accepted.body.poll_id);
    expect(complete.body).toMatchObject({ status: 'COMPLETE', type: 'acknowledgements' });
    const [ack] = (complete.body.data as { acknowledgements: { smart_license: string }[] }).acknowledgements;
    expect(cloud.open(ack!.smart_license, 'RUM_ACK')).toMatchObject({
      sudi: device.sudi,
      report_ids: [1_760_000_001],
      virtual_account: 'east',
    });
  });

  it('refuses later reports signed with another key than the pinned one, and a UDI of another VA', async () => {
    expect((await upload(device, 1_760_000_001)).status).toBe(202);
    const foreign = device.report({ reportId: 1_760_000_002 }, { key: newKey() });
    const refused = await cloud.api(
      'east',
      'POST',
      at(slpApiPaths.reportUsage),
      envelope(device.usage([foreign])),
      csw(),
    );
    expectFailed(refused, 403, 'RUM_KEY_MISMATCH');
    expectFailed(
      await upload(device, 1_760_000_003, { who: 'admin', headers: csw('example.com', 'DEFAULT') }),
      409,
      'UDI_REGISTERED_ELSEWHERE',
    );
  });

  it('takes the account and VA by numeric id as well as by domain and name', async () => {
    const { account, va } = await cloud.opened.cloud.run('test', async (tx) => {
      const account = (await tx.findOne('smartAccounts', { domain: 'example.com' }))!;
      return { account, va: (await tx.findOne('virtualAccounts', { account_id: account.id, name: 'east' }))! };
    });
    const headers = csw(String(numericId(account.id)), String(numericId(va.id)));
    const accepted = await upload(device, 1_760_000_001, { headers });
    expect(accepted.status, accepted.text).toBe(202);
    expect((await poll(accepted.body.poll_id, headers)).body.status).toBe('COMPLETE');
  });

  it('refuses missing or bad X-CSW headers, no bearer, and callers without a role there', async () => {
    const body = envelope(device.usage([device.report({ reportId: 1_760_000_001 })]));
    const path = at(slpApiPaths.reportUsage);
    const { 'x-csw-virtual-account-id': _va, ...noVa } = csw();
    expectFailed(await cloud.api('east', 'POST', path, body, noVa), 400, 'SCHEMA_VIOLATION');
    expectFailed(
      await cloud.api('east', 'POST', path, body, { ...csw(), 'x-csw-requesting-system': 'CSLU' }),
      400,
      'INVALID_VALUE',
    );
    expectFailed(await cloud.post(slpApiPaths.reportUsage, body, csw()), 401, 'ACCESS_TOKEN_MISSING');
    expectFailed(await cloud.api('other', 'POST', path, body, csw()), 403, 'ACCESS_DENIED');
    expectFailed(await cloud.api('east', 'POST', path, body, csw('example.com', 'DEFAULT')), 403, 'ACCESS_DENIED');
    expectFailed(await cloud.api('east', 'POST', path, { data: {} }, csw()), 400, 'SCHEMA_VIOLATION');
    const stored = await cloud.opened.cloud.run('test', (tx) => tx.list('rumReports'));
    expect(stored).toEqual([]);
  });

  it('answers FAILED for a poll of another VA or of a device’s own transport', async () => {
    const accepted = await upload(device, 1_760_000_001);
    expectFailed(
      await cloud.api(
        'admin',
        'POST',
        at(slpApiPaths.poll),
        envelope({ poll_id: accepted.body.poll_id, action: 'acknowledgements' }),
        csw('example.com', 'DEFAULT'),
      ),
      404,
      'POLL_UNKNOWN',
    );
    const direct = new SlpDevice(cloud, 'FOC2201API2');
    expect((await direct.send(slpDevicePaths.trust, direct.trustFields())).status).toBe(200);
    const own = await direct.send(
      slpDevicePaths.reportUsage,
      direct.usage([direct.report({ reportId: 1_760_000_001 })]),
    );
    expectFailed(await poll(own.body.poll_id), 404, 'POLL_UNKNOWN');
    expectFailed(
      await direct.send(slpDevicePaths.poll, { poll_id: accepted.body.poll_id, action: 'acknowledgements' }),
      404,
      'POLL_UNKNOWN',
    );
  });

  it('runs the same logic in process (SlpOperations): its polls answer on the API and back', async () => {
    const ops = new SlpOperations(cloud.opened.cloud);
    const east = { account: 'example.com', virtualAccount: 'east' };
    const made = await ops.reportUsage(
      east,
      device.usage([device.report({ reportId: 1_760_000_001, count: 2 })]).reports,
    );
    expect((await poll(made.id)).body.status).toBe('COMPLETE');
    const viaApi = await upload(device, 1_760_000_002, { count: 1 });
    expect(await ops.poll(east, viaApi.body.poll_id!, 'acknowledgements')).toMatchObject({ status: 'COMPLETE' });
    expect(await ops.summary(east, [TAG])).toEqual([
      expect.objectContaining({ prepaid_inuse: 1, prepaid_entitled: 2 }),
    ]);
    const { origin: _origin, ...custom } = { ...DEFAULT_POLICY, name: 'In process' };
    expect((await ops.setPolicy(east, custom)).origin).toBe('Customer Policy');
    expect((await ops.policy(east)).name).toBe('In process');
    expect(
      cloud.open(Buffer.from(JSON.stringify(await ops.policyDocument(east, device.sudi))).toString('base64'), 'POLICY'),
    ).toMatchObject({
      sudi: device.sudi,
    });
    await expectDomainError(
      ops.policyDocument(east, { udi_pid: 'C9300-24T', udi_serial_number: 'NONE' }),
      'INSTANCE_NOT_FOUND',
    );
    await expectDomainError(ops.poll(east, '4611686018427387904', 'acknowledgements'), 'POLL_UNKNOWN');
  });

  describe('usage-based compliance', () => {
    it('shows reported in-use against purchased in the licenses list and the summary', async () => {
      expect((await upload(device, 1_760_000_001, { count: 3 })).status).toBe(202);
      const licenses = await cloud.api('east', 'POST', '/v1/accounts/example.com/licenses', {
        virtualAccounts: ['east'],
      });
      expect(licenses.body.licenses).toEqual([
        expect.objectContaining({
          license: 'C9300 Network Advantage',
          quantity: 2,
          inUse: 3,
          available: -1,
          reserved: 0,
          status: 'Out Of Compliance',
        }),
        expect.objectContaining({ license: 'U.S. Export Restriction Compliance license for 4000 series', inUse: 0 }),
      ]);
      const summary = await cloud.api('east', 'POST', SUMMARY, envelope({ tags: [TAG] }), csw());
      expect(summary.status, summary.text).toBe(200);
      expect(summary.body).toMatchObject({
        status: 'SUCCESS',
        message: 'Retrieved summary for 1 license in the pool.',
        out_standing_reports: 0,
      });
      expect(summary.body.summary).toEqual([
        {
          tag: TAG,
          compliance_status: 'Out Of Compliance',
          display_name: 'C9300 Network Advantage',
          enforced: false,
          export_restricted: false,
          license_details: [
            expect.objectContaining({
              billing_type: 'PREPAID',
              quantity: 2,
              license_type: 'PERPETUAL',
              status: 'ACTIVE',
            }),
          ],
          prepaid_entitled: 2,
          prepaid_inuse: 3,
          prepaid_reserved: 0,
        },
      ]);
      expect((await upload(device, 1_760_000_002, { count: 1 })).status).toBe(202);
      const all = await cloud.api('east', 'POST', SUMMARY, envelope({ tags: [] }), csw());
      expect(all.body.summary).toEqual([
        expect.objectContaining({ tag: HSEC, enforced: true, export_restricted: true, prepaid_inuse: 0 }),
        expect.objectContaining({ tag: TAG, compliance_status: 'In Compliance', prepaid_inuse: 1 }),
      ]);
    });

    it('refuses a tag outside the catalogue', async () => {
      expectFailed(
        await cloud.api('east', 'POST', SUMMARY, envelope({ tags: ['regid.nope'] }), csw()),
        400,
        'ENTITLEMENT_UNKNOWN',
      );
    });
  });
});
