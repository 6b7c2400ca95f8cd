/**
 * The SLP paths hold to registration's key policy (EC P-256/P-384, RSA ≥ 2048, Ed25519): a report key of
 * another type is KEY_INVALID on the API for CSLU (and never pinned), and a trust request with one is too,
 * even after an upload has presented the same key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slpApiPaths, slpDevicePaths as paths } from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { SLA_BASE } from './management-access.ts';
import { openSlpCloud, SlpDevice, type Reply, type SlpCloud } from './slp.test-support.ts';

type Pair = { privateKey: KeyObject; publicKey: string };
const spki = (pair: { privateKey: KeyObject; publicKey: KeyObject }): Pair => ({
  privateKey: pair.privateKey,
  publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
});
// Slow to make: one of each for the file (no cache carries over, as the tests show).
const weak = {
  'RSA-1024': spki(generateKeyPairSync('rsa', { modulusLength: 1024 })),
  DSA: spki(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 })),
};

function expectFailed(reply: Reply, status: number, code: string, ...said: string[]): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ status: 'FAILED', message_code: code });
  for (const s of said) expect(String(reply.body.message)).toContain(s);
}

describe.each(storeKinds)('SLP device keys on %s', (kind) => {
  let cloud: SlpCloud;
  const upload = (d: SlpDevice, key: Pair) =>
    cloud.api(
      'east',
      'POST',
      slpApiPaths.reportUsage.slice(SLA_BASE.length),
      { data: { timestamp: 1, nonce: 'nonce-0001', ...d.usage([d.report({ reportId: 1_760_000_001 }, { key })]) } },
      {
        'x-csw-smart-account-id': 'example.com',
        'x-csw-virtual-account-id': 'east',
        'x-csw-requesting-system': '{"display_name":"CSLU"}',
      },
    );
  const instance = (sn: string) =>
    cloud.opened.cloud.run('test', (tx) => tx.findOne('productInstances', { udi: `PID:C9300-24T,SN:${sn}` }));

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
  });
  afterEach(async () => {
    await cloud.close();
  });

  it.each(Object.entries(weak))('refuses to pin a %s report key on the API, recording nothing', async (_what, key) => {
    const device = new SlpDevice(cloud, 'FOC2201WK1');
    expectFailed(await upload(device, key), 400, 'KEY_INVALID', 'reports[0].usage[0]', 'is not supported');
    expect(await instance('FOC2201WK1')).toBeUndefined();
    const rumReports = await cloud.opened.cloud.run('test', (tx) =>
      tx.get('rumReports', 'PID:C9300-24T,SN:FOC2201WK1 1760000001'),
    );
    expect(rumReports).toBeUndefined();
  });

  it.each(Object.entries(weak))(
    'refuses trust with a %s key, even one an upload presented first',
    async (_what, key) => {
      const device = new SlpDevice(cloud, 'FOC2201WK2');
      await upload(device, key);
      const asked = device.body({ ...device.trustFields(), public_key: key.publicKey }, { key: key.privateKey });
      expectFailed(await cloud.post(paths.trust, asked.text, asked.headers), 400, 'KEY_INVALID', 'is not supported');
      expect((await instance('FOC2201WK2'))?.slp?.trustedKey ?? null).toBeNull();
    },
  );

  it('still pins a P-256 report key and trusts the same key later', async () => {
    const device = new SlpDevice(cloud, 'FOC2201WK3');
    const accepted = await upload(device, device);
    expect(accepted.status, accepted.text).toBe(202);
    expect((await instance('FOC2201WK3'))?.slp?.reportKey).toBe(device.publicKey);
    const trusted = await device.send(paths.trust, device.trustFields());
    expect(trusted.status, trusted.text).toBe(200);
  });
});
