import { describe, expect, it } from 'vitest';
import { createLicenseTrust, parseLicenseFile } from '#protocol';
import type { SmartAccount } from '../store/index.ts';
import { storeKinds } from '#test-support/test-stores.ts';
import { eachTestCloud, expectDomainError, setupAccount, type TestCloud } from './test-cloud.test-support.ts';
import { preinstallOrder, type ManufacturingOrder } from './manufacturing.ts';
import { resendLicenses } from './portal-licenses.ts';

const unit = (n: number) => ({ pid: 'CISCO2951/K9', sn: `FHH1216P${String(n).padStart(3, '0')}` });

describe.each(storeKinds)('manufacturing preinstall on %s', (kind) => {
  let t: TestCloud;
  let account: SmartAccount;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    ({ account } = await setupAccount(t.cloud));
  });
  const preinstall = (order: ManufacturingOrder) =>
    t.cloud.run('lab', (tx, ctx) => preinstallOrder(tx, ctx, account, order));

  it('one license file per device of the order, recorded so a resend finds it', async () => {
    const files = await preinstall({
      orderId: 'SO-77',
      devices: [unit(1), unit(2)],
      skus: ['SL-29-SEC-K9', 'SL-29-UC-K9'],
    });
    const trust = createLicenseTrust([t.cloud.licenseKey.publicKeyPem]);
    for (const [i, f] of files.entries()) {
      const parsed = parseLicenseFile(f.licenseFile, trust);
      expect(parsed.ok && parsed.value.lines.map((l) => [l.feature, l.type, l.udi])).toEqual([
        ['securityk9', 'permanent', unit(i + 1)],
        ['uck9', 'permanent', unit(i + 1)],
      ]);
    }
    const resent = await t.cloud.run('lab', (tx, ctx) => resendLicenses(tx, ctx, account, unit(2)));
    expect(resent.licenses.map((l) => l.pakId)).toEqual([null, null]);
  });

  it('refuses, all or nothing: an unfit PID, a repeated UDI, an empty order', async () => {
    await expectDomainError(
      preinstall({ orderId: 'SO-78', devices: [unit(3), { pid: 'ISR4331/K9', sn: 'FDO1' }], skus: ['SL-29-SEC-K9'] }),
      'SKU_NOT_FOR_PLATFORM',
    );
    await expectDomainError(
      preinstall({ orderId: 'SO-79', devices: [unit(4), unit(4)], skus: ['SL-29-SEC-K9'] }),
      'INVALID_VALUE',
      'twice',
    );
    await expectDomainError(preinstall({ orderId: 'SO-80', devices: [], skus: ['SL-29-SEC-K9'] }), 'INVALID_VALUE');
    await expectDomainError(preinstall({ orderId: 'SO-81', devices: [unit(5)], skus: [] }), 'INVALID_VALUE');
    expect(await t.cloud.run('t', (tx) => tx.list('portalLicenses'))).toEqual([]);
  });
});
