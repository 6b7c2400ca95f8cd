import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entitlementCatalogue, signBytes, MINUTE, HOUR, DAY } from '#protocol';
import { storeKinds, T0 } from '#test-support/test-stores.ts';
import {
  eachTestCloud,
  expectDomainError,
  newToken,
  registerDevice,
  setupAccount,
  type TestCloud,
} from './test-cloud.test-support.ts';
import { requireAccount, requireVirtualAccount } from './accounts.ts';
import { CloudService } from './cloud-service.ts';
import { authenticateDevice } from './device-auth.ts';
import { defaultPolicy } from './policy.ts';
import { depositOrder } from './pools.ts';
import type { SkuDefinition } from './sku-catalog.ts';

const TAG = entitlementCatalogue[0]!.tag;
const LAB_SKU: SkuDefinition = {
  sku: 'LAB-DNA-A-5PACK',
  description: 'five DNA Advantage',
  lines: [{ tag: TAG, quantityPerUnit: 5, licenseType: 'PERPETUAL' }],
};

describe.each(storeKinds)('CloudService on %s', (kind) => {
  let t: TestCloud;
  eachTestCloud(kind, async (opened) => {
    t = opened;
  });

  const caMeta = async (cloud: CloudService) =>
    JSON.parse((await cloud.run('test', (tx) => tx.getMeta('ca')))!) as { keyPem: string; certPem: string };

  it('open() generates a CA at the lab time and persists it in the store', async () => {
    const { cloud } = t;
    const caCert = new X509Certificate(cloud.ca.certPem);
    expect(caCert.ca).toBe(true);
    expect(caCert.validFromDate.getTime()).toBe(T0 - 5 * MINUTE);
    expect(caCert.verify(cloud.ca.publicKey)).toBe(true);
    const saved = await caMeta(cloud);
    expect(saved.certPem).toBe(cloud.ca.certPem);
    expect(saved.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('open() applies the default policy with the overrides given', async () => {
    expect(t.cloud.policy).toEqual(defaultPolicy);
    const custom = await CloudService.open({ store: t.db.store, clock: t.clock, policy: { authValidityMs: HOUR } });
    expect(custom.policy).toEqual({ ...defaultPolicy, authValidityMs: HOUR });
  });

  it('a reopened store gives back the same CA, so ID certificates issued before still verify and authenticate', async () => {
    const { account, va } = await setupAccount(t.cloud);
    const token = await newToken(t.cloud, account, va);
    const dev = await registerDevice(t.cloud, token.id, { pid: 'C9300-24T', sn: 'FOC1' });
    const before = t.cloud.ca.certPem;
    await t.clock.advance(DAY);

    const cloud = await t.reopen();
    expect(cloud.ca.certPem).toBe(before);
    expect(cloud.ca.keyId).not.toBe('');
    expect(new X509Certificate(dev.response.idCertificate).verify(cloud.ca.publicKey)).toBe(true);
    // And it signs with the same key: a signature of the reopened CA verifies with the old certificate.
    expect(new X509Certificate(before).publicKey.export({ format: 'pem', type: 'spki' })).toBe(
      cloud.ca.publicKey.export({ format: 'pem', type: 'spki' }),
    );

    const body = Buffer.from(JSON.stringify({ udi: dev.udi, timestamp: t.clock.now() }));
    const instance = await cloud.run('test', (tx, ctx) =>
      authenticateDevice(tx, ctx, {
        certificateSerial: dev.response.certificateSerial,
        signature: signBytes(body, dev.privateKey),
        body,
        udi: dev.udi,
      }),
    );
    expect(instance.udiKey).toBe('PID:C9300-24T,SN:FOC1');
  });

  it('two CloudServices opened on one store share its CA (the first one made it)', async () => {
    const second = await CloudService.open({ store: t.db.store, clock: t.clock });
    expect(second.ca.certPem).toBe(t.cloud.ca.certPem);
  });

  it('addSkus makes SKUs orderable at once and persists them across a reopen', async () => {
    await t.cloud.run('test', (tx) => t.cloud.addSkus(tx, [LAB_SKU]));
    expect(t.cloud.skus.require('LAB-DNA-A-5PACK')).toEqual(LAB_SKU);
    const cloud = await t.reopen();
    expect(cloud.skus.require('LAB-DNA-A-5PACK')).toEqual(LAB_SKU);
    // Built-in SKUs are still there next to it.
    expect(cloud.skus.require('SL-4330-FND-K9').lines).toHaveLength(2);
    const { va } = await setupAccount(cloud);
    const [pool] = await cloud.run('test', (tx, ctx) =>
      depositOrder(tx, ctx, cloud.skus, va, { orderId: 'O1', lines: [{ sku: 'LAB-DNA-A-5PACK', quantity: 2 }] }),
    );
    expect(pool!.entries[0]).toMatchObject({ quantity: 10, sku: 'LAB-DNA-A-5PACK' });
  });

  it('addSkus merges by SKU: adding one again replaces it, others stay', async () => {
    const other: SkuDefinition = { ...LAB_SKU, sku: 'LAB-OTHER' };
    await t.cloud.run('test', (tx) => t.cloud.addSkus(tx, [LAB_SKU, other]));
    await t.cloud.run('test', (tx) => t.cloud.addSkus(tx, [{ ...LAB_SKU, description: 'v2' }]));
    const saved = JSON.parse((await t.cloud.run('test', (tx) => tx.getMeta('skus')))!) as SkuDefinition[];
    expect(saved.map((s) => [s.sku, s.description])).toEqual([
      ['LAB-DNA-A-5PACK', 'v2'],
      ['LAB-OTHER', 'five DNA Advantage'],
    ]);
    expect((await t.reopen()).skus.require('LAB-DNA-A-5PACK').description).toBe('v2');
  });

  it('addSkus in a transaction that fails leaves the catalogue as it was', async () => {
    await expect(
      t.cloud.run('test', async (tx) => {
        await t.cloud.addSkus(tx, [LAB_SKU]);
        throw new Error('seed failed later');
      }),
    ).rejects.toThrow('seed failed later');
    expect(await t.cloud.run('test', (tx) => tx.getMeta('skus'))).toBeUndefined();
    expect(() => t.cloud.skus.require('LAB-DNA-A-5PACK')).toThrow(/not in the catalogue/);
  });

  it('reset() empties accounts, instances and events but keeps the CA (also after a reopen)', async () => {
    const { account, va } = await setupAccount(t.cloud);
    const token = await newToken(t.cloud, account, va);
    await registerDevice(t.cloud, token.id, { pid: 'C9300-24T', sn: 'FOC1' });
    const ca = t.cloud.ca.certPem;
    await t.cloud.reset();
    await t.cloud.run('test', async (tx) => {
      expect(await tx.list('smartAccounts')).toEqual([]);
      expect(await tx.list('virtualAccounts')).toEqual([]);
      expect(await tx.list('registrationTokens')).toEqual([]);
      expect(await tx.list('productInstances')).toEqual([]);
      expect(await tx.events({ limit: 10 })).toEqual([]);
    });
    await expectDomainError(
      t.cloud.run('test', (tx) => requireAccount(tx, 'example.com')),
      'ACCOUNT_NOT_FOUND',
      'example.com',
    );
    expect(t.cloud.ca.certPem).toBe(ca);
    expect((await caMeta(t.cloud)).certPem).toBe(ca);
    expect((await t.reopen()).ca.certPem).toBe(ca);
    // The same domain can be created again.
    const again = await setupAccount(t.cloud);
    expect(await t.cloud.run('test', (tx) => requireVirtualAccount(tx, again.account, 'DEFAULT'))).toEqual(again.va);
  });
});
