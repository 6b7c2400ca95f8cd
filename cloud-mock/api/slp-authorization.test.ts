import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slpApiPaths, slpDevicePaths as paths } from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { SLA_BASE } from './management-access.ts';
import {
  EXPORT_TOKEN,
  HSEC,
  openSlpCloud,
  SlpDevice,
  TAG,
  TOKEN,
  type Reply,
  type SlpCloud,
} from './slp.test-support.ts';

type Slac = { sudi: unknown; keys: { entitlement: string; count: number }[]; issued_at: number; confirm_code: string };

function expectFailed(reply: Reply, status: number, code: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ status: 'FAILED', message_code: code });
}

describe.each(storeKinds)('SLAC (authorization requests) on %s', (kind) => {
  let cloud: SlpCloud;
  let device: SlpDevice;

  const pool = (va: string, tag = HSEC) =>
    cloud.opened.cloud.run('test', async (tx) => {
      const account = (await tx.findOne('smartAccounts', { domain: 'example.com' }))!;
      const v = (await tx.findOne('virtualAccounts', { account_id: account.id, name: va }))!;
      const p = await tx.findOne('licensePools', { va_id: v.id, tag });
      return { inUse: p?.inUse ?? 0, reserved: p?.reserved ?? 0 };
    });
  const ask = (d: SlpDevice, keys: { entitlement: string; count: number }[], removeCode?: string) =>
    d.send(paths.authRequest, {
      licenses: [{ sudi: d.sudi, hostname: 'r1', keys, ...(removeCode ? { remove_code: removeCode } : {}) }],
    });
  /** Asks, polls and opens the SLAC. */
  async function slacFor(d: SlpDevice, keys: { entitlement: string; count: number }[], removeCode?: string) {
    const accepted = await ask(d, keys, removeCode);
    expect(accepted.status, accepted.text).toBe(202);
    expect(accepted.body.action).toBe('authorizations');
    const polled = await d.send(paths.poll, { poll_id: accepted.body.poll_id, action: 'authorizations' });
    expect(polled.body).toMatchObject({ status: 'COMPLETE', type: 'authorizations' });
    const [result] = (polled.body.data as { authorizations: { smart_license: string; status: string }[] })
      .authorizations;
    expect(result!.status).toBe('SUCCESS');
    return cloud.open(result!.smart_license, 'SLAC') as Slac;
  }

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
    device = new SlpDevice(cloud, 'FDO2201SEC1');
    expect((await device.send(paths.trust, device.trustFields(EXPORT_TOKEN))).status).toBe(200);
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('issues a SLAC with a confirm code and holds its licenses out of the pool', async () => {
    const slac = await slacFor(device, [{ entitlement: HSEC, count: 1 }]);
    expect(slac).toEqual({
      sudi: device.sudi,
      keys: [{ entitlement: HSEC, count: 1 }],
      issued_at: cloud.opened.clock.now(),
      confirm_code: expect.stringMatching(/^[\w-]{6}-[\w-]{6}-[\w-]{6}-[\w-]{6}$/),
    });
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 1 });
    const licenses = await cloud.api('admin', 'POST', '/v1/accounts/example.com/licenses', {
      virtualAccounts: ['east'],
    });
    expect(licenses.body.licenses).toContainEqual(expect.objectContaining({ quantity: 2, reserved: 1, available: 1 }));
    const events = await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }));
    expect(events.filter((e) => e.kind === 'slp.authorized').map((e) => e.message)).toEqual([
      'PID:C9300-24T,SN:FDO2201SEC1 authorized for 1 U.S. Export Restriction Compliance license for 4000 series',
    ]);
  });

  it('replaces a SLAC with the next one, and does not count its licenses again when reported in use', async () => {
    await slacFor(device, [{ entitlement: HSEC, count: 1 }]);
    await slacFor(device, [{ entitlement: HSEC, count: 2 }]);
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 2 });
    const report = device.report({ reportId: 1_760_000_001, tag: HSEC, count: 2 });
    expect((await device.send(paths.reportUsage, device.usage([report]))).status).toBe(202);
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 2 });
  });

  it('takes a SLAC back with its confirm code as remove_code, freeing its licenses', async () => {
    expectFailed(await ask(device, [], 'no-such-code'), 404, 'SLAC_NOT_FOUND');
    const slac = await slacFor(device, [{ entitlement: HSEC, count: 1 }]);
    expectFailed(await ask(device, [], 'wrong-code'), 400, 'SLAC_RETURN_CODE_INVALID');
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 1 });
    const returned = await slacFor(device, [], slac.confirm_code);
    expect(returned.keys).toEqual([]);
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 0 });
    const events = await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }));
    expect(events.filter((e) => e.kind === 'slp.authorization-returned')).toHaveLength(1);
  });

  it('refuses unenforced, unknown and unavailable licenses, and devices without export or trust', async () => {
    expectFailed(await ask(device, [{ entitlement: TAG, count: 1 }]), 400, 'SLAC_NOT_APPLICABLE');
    expectFailed(await ask(device, [{ entitlement: 'regid.nope', count: 1 }]), 400, 'ENTITLEMENT_UNKNOWN');
    expectFailed(await ask(device, [{ entitlement: HSEC, count: 3 }]), 409, 'INSUFFICIENT_LICENSES');
    const plain = new SlpDevice(cloud, 'FDO2201SEC2');
    expect((await plain.send(paths.trust, plain.trustFields(TOKEN))).status).toBe(200);
    expectFailed(await ask(plain, [{ entitlement: HSEC, count: 1 }]), 403, 'EXPORT_NOT_ALLOWED');
    const stranger = new SlpDevice(cloud, 'FDO2201SEC3');
    expectFailed(await ask(stranger, [{ entitlement: HSEC, count: 1 }]), 403, 'TRUST_MISSING');
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 0 });
  });

  it('grants the last licenses to one of two devices asking at once', async () => {
    const second = new SlpDevice(cloud, 'FDO2201SEC5');
    expect((await second.send(paths.trust, second.trustFields(EXPORT_TOKEN))).status).toBe(200);
    const replies = await Promise.all([device, second].map((d) => ask(d, [{ entitlement: HSEC, count: 2 }])));
    expect(replies.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 2 });
  });

  it('frees a SLAC’s licenses when its product instance is removed', async () => {
    await slacFor(device, [{ entitlement: HSEC, count: 2 }]);
    const removed = await cloud.api('admin', 'POST', '/v2/accounts/example.com/virtual-accounts/east/devices/remove', {
      productInstacesRemoveRequests: [{ sudi: { udiPid: 'C9300-24T', udiSerialNumber: 'FDO2201SEC1' } }],
    });
    expect(removed.status, removed.text).toBe(200);
    expect(await pool('east')).toEqual({ inUse: 0, reserved: 0 });
  });

  it('authorizes through the API in an export-allowed VA, and refuses it in one that is not', async () => {
    const headers = (va: string) => ({
      'x-csw-smart-account-id': 'example.com',
      'x-csw-virtual-account-id': va,
      'x-csw-requesting-system': '{"display_name":"CSLU"}',
    });
    const relayed = new SlpDevice(cloud, 'FDO2201SEC4');
    const body = {
      data: {
        timestamp: 1,
        nonce: 'nonce-0001',
        licenses: [{ sudi: relayed.sudi, keys: [{ entitlement: HSEC, count: 1 }] }],
      },
    };
    const at = (p: string) => p.slice(SLA_BASE.length);
    expectFailed(
      await cloud.api('admin', 'POST', at(slpApiPaths.authRequest), body, headers('east')),
      403,
      'EXPORT_NOT_ALLOWED',
    );
    const accepted = await cloud.api('admin', 'POST', at(slpApiPaths.authRequest), body, headers('secure'));
    expect(accepted.status, accepted.text).toBe(202);
    const polled = await cloud.api(
      'admin',
      'POST',
      at(slpApiPaths.poll),
      { data: { timestamp: 1, nonce: 'nonce-0002', poll_id: accepted.body.poll_id, action: 'authorizations' } },
      headers('secure'),
    );
    const [result] = (polled.body.data as { authorizations: { smart_license: string }[] }).authorizations;
    expect((cloud.open(result!.smart_license, 'SLAC') as Slac).keys).toEqual([{ entitlement: HSEC, count: 1 }]);
    expect(await pool('secure')).toEqual({ inUse: 0, reserved: 1 });
  });
});
