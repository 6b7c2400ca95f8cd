import { X509Certificate } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { entitlementCatalogue, signBytes, type EntitlementRequest, type Udi, DAY, HOUR, MINUTE } from '#protocol';
import type { RegistrationToken, SmartAccount, VirtualAccount } from '../store/index.ts';
import { storeKinds, T0 } from '#test-support/test-stores.ts';
import {
  eachTestCloud,
  expectDomainError,
  newDeviceKey,
  newToken,
  registerDevice,
  setupAccount,
  type TestCloud,
  type TestDevice,
} from './test-cloud.test-support.ts';
import { createVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import { authenticateDevice } from './device-auth.ts';
import { depositLicenses } from './pools.ts';
import {
  authorizeInstance,
  releaseInstance,
  renewInstanceId,
  reportUsage,
  requireInstance,
  transferInstance,
} from './product-instances.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const [A, B] = entitlementCatalogue.map((e) => e.tag) as [string, string];
const UDI1: Udi = { pid: 'C9300-24T', sn: 'FOC0001' };
const UDI2: Udi = { pid: 'C9300-24T', sn: 'FOC0002' };

describe.each(storeKinds)('product instances on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  let account: SmartAccount;
  let va: VirtualAccount;
  let branch: VirtualAccount;
  let token: RegistrationToken;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
    ({ account, va } = await setupAccount(cloud));
    branch = await cloud.run('test', (tx, ctx) => createVirtualAccount(tx, ctx, account, { name: 'Branch' }));
    token = await newToken(cloud, account, va, { exportControlled: true });
  });

  const instanceOf = (udi: Udi) => cloud.run('test', (tx) => requireInstance(tx, udi));
  const pool = async (tag: string, of: VirtualAccount = va) =>
    (await cloud.run('test', (tx) => tx.findOne('licensePools', { va_id: of.id, tag })))?.inUse ?? 0;
  const deposit = (tag: string, quantity: number, into: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) => depositLicenses(tx, ctx, into, { tag, quantity, licenseType: 'PERPETUAL' }));
  const authorize = (udi: Udi, entitlements: EntitlementRequest[]) =>
    cloud.run('test', async (tx, ctx) => authorizeInstance(tx, ctx, await requireInstance(tx, udi), entitlements));
  const authenticate = (dev: TestDevice, serial: string) => {
    const body = Buffer.from(JSON.stringify({ udi: dev.udi, timestamp: t.clock.now() }));
    return cloud.run('test', (tx, ctx) =>
      authenticateDevice(tx, ctx, {
        certificateSerial: serial,
        signature: signBytes(body, dev.privateKey),
        body,
        udi: dev.udi,
      }),
    );
  };
  const kinds = async () =>
    (await cloud.run('test', (tx) => tx.events({ limit: 1000 })))
      .map((e) => e.kind)
      .filter((k) => k.startsWith('instance.'));

  describe('registerInstance', () => {
    it('issues an ID certificate signed by the CA and answers like CSSM', async () => {
      await t.clock.advance(DAY);
      const now = t.clock.now();
      const dev = await registerDevice(cloud, token.id, UDI1, { hostname: 'sw1' });
      const r = dev.response;
      const cert = new X509Certificate(r.idCertificate);
      expect(cert.verify(cloud.ca.publicKey)).toBe(true);
      expect(cert.checkIssued(new X509Certificate(cloud.ca.certPem))).toBe(true);
      expect(cert.subject).toContain('CN=PID:C9300-24T\\,SN:FOC0001');
      expect(cert.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')).toBe(dev.publicKey);
      expect(cert.serialNumber.toLowerCase()).toBe(r.certificateSerial);
      expect(cert.validFromDate.getTime()).toBe(now - 5 * MINUTE);
      expect(cert.validToDate.getTime()).toBe(now - 5 * MINUTE + 365 * DAY);
      expect(r).toMatchObject({
        status: 'REGISTERED',
        udi: UDI1,
        notBefore: iso(now - 5 * MINUTE),
        notAfter: iso(now - 5 * MINUTE + 365 * DAY),
        caCertificate: cloud.ca.certPem,
        smartAccount: { name: 'Example Corp', domain: 'example.com' },
        virtualAccount: 'DEFAULT',
        exportControlled: true,
      });
      expect(await instanceOf(UDI1)).toMatchObject({
        accountId: account.id,
        vaId: va.id,
        udiKey: 'PID:C9300-24T,SN:FOC0001',
        hostname: 'sw1',
        registeredAt: now,
        tokenId: token.id,
        exportControlled: true,
        certSerial: r.certificateSerial,
        certNotAfter: now - 5 * MINUTE + 365 * DAY,
        publicKey: dev.publicKey,
        lastContactAt: now,
        softwareVersion: null,
        entitlements: {},
      });
      expect(await kinds()).toEqual(['instance.registered']);
    });

    it('copies exportControlled from the token', async () => {
      const plain = await newToken(cloud, account, va);
      expect((await registerDevice(cloud, plain.id, UDI1)).response.exportControlled).toBe(false);
      expect((await instanceOf(UDI1)).exportControlled).toBe(false);
    });

    it('counts token uses and enforces maxUses (TOKEN_USES_EXHAUSTED)', async () => {
      const once = await newToken(cloud, account, va, { maxUses: 1 });
      await registerDevice(cloud, once.id, UDI1);
      expect((await cloud.run('test', (tx) => tx.get('registrationTokens', once.id)))!.uses).toBe(1);
      await expectDomainError(registerDevice(cloud, once.id, UDI2), 'TOKEN_USES_EXHAUSTED', '1 of 1');
      await expectDomainError(instanceOf(UDI2), 'INSTANCE_NOT_FOUND');
    });

    it('re-registration in the same VA replaces the instance: new certificate, old serial unknown, licenses released', async () => {
      const first = await registerDevice(cloud, token.id, UDI1);
      await authorize(UDI1, [{ tag: A, count: 2 }]);
      expect(await pool(A)).toBe(2);
      const second = await registerDevice(cloud, token.id, UDI1, { key: newDeviceKey() });
      expect(second.response.certificateSerial).not.toBe(first.response.certificateSerial);
      expect(await cloud.run('test', (tx) => tx.list('productInstances'))).toHaveLength(1);
      expect(
        await cloud.run('test', (tx) =>
          tx.findOne('productInstances', { cert_serial: first.response.certificateSerial }),
        ),
      ).toBeUndefined();
      await expectDomainError(
        authenticate(first, first.response.certificateSerial),
        'CERTIFICATE_UNKNOWN',
        first.response.certificateSerial,
      );
      expect((await authenticate(second, second.response.certificateSerial)).udiKey).toBe('PID:C9300-24T,SN:FOC0001');
      expect(await pool(A)).toBe(0);
      expect((await cloud.run('test', (tx) => tx.get('registrationTokens', token.id)))!.uses).toBe(2);
      expect(await kinds()).toEqual([
        'instance.registered',
        'instance.authorization',
        'instance.reregistered',
        'instance.registered',
      ]);
    });

    it('refuses a UDI registered in another VA (UDI_REGISTERED_ELSEWHERE naming it) unless forced', async () => {
      await registerDevice(cloud, token.id, UDI1);
      await authorize(UDI1, [{ tag: A, count: 1 }]);
      const branchToken = await newToken(cloud, account, branch);
      await expectDomainError(
        registerDevice(cloud, branchToken.id, UDI1),
        'UDI_REGISTERED_ELSEWHERE',
        'PID:C9300-24T,SN:FOC0001',
        'virtual account DEFAULT',
        'force',
      );
      expect((await instanceOf(UDI1)).vaId).toBe(va.id);
      expect((await cloud.run('test', (tx) => tx.get('registrationTokens', branchToken.id)))!.uses).toBe(0);

      const moved = await registerDevice(cloud, branchToken.id, UDI1, { force: true });
      expect(moved.response.virtualAccount).toBe('Branch');
      expect((await instanceOf(UDI1)).vaId).toBe(branch.id);
      expect(await pool(A)).toBe(0);
      expect(await kinds()).toContain('instance.moved');
    });

    it('says "another smart account" without naming it when the UDI is registered elsewhere', async () => {
      const other = await setupAccount(cloud, 'other.example', 'Other Inc');
      await registerDevice(cloud, (await newToken(cloud, other.account, other.va)).id, UDI1);
      const err = await expectDomainError(
        registerDevice(cloud, token.id, UDI1),
        'UDI_REGISTERED_ELSEWHERE',
        'another smart account',
      );
      expect(err.message).not.toContain('other.example');
      await registerDevice(cloud, token.id, UDI1, { force: true });
      expect((await instanceOf(UDI1)).accountId).toBe(account.id);
    });
  });

  describe('authorizeInstance', () => {
    beforeEach(async () => {
      await registerDevice(cloud, token.id, UDI1);
      await t.clock.advance(HOUR);
    });

    it('authorizes every tag when the pool has enough licenses', async () => {
      await deposit(A, 2);
      const now = t.clock.now();
      const r = await authorize(UDI1, [{ tag: A, count: 2 }]);
      expect(r).toEqual({
        status: 'AUTHORIZED',
        entitlements: [{ tag: A, name: 'C9300 DNA Advantage', count: 2, status: 'AUTHORIZED' }],
        authorizedAt: iso(now),
        validUntil: iso(now - 5 * MINUTE + 90 * DAY),
      });
      expect(await pool(A)).toBe(2);
      expect(await instanceOf(UDI1)).toMatchObject({
        entitlements: { [A]: 2 },
        lastAuthorization: 'AUTHORIZED',
        lastContactAt: now,
      });
    });

    it('answers OUT_OF_COMPLIANCE when the pool is short, renewing in 12 hours', async () => {
      await deposit(A, 2);
      await deposit(B, 1);
      const now = t.clock.now();
      const r = await authorize(UDI1, [
        { tag: A, count: 3 },
        { tag: B, count: 1 },
      ]);
      expect(r.status).toBe('OUT_OF_COMPLIANCE');
      expect(r.entitlements.map((e) => [e.tag, e.status])).toEqual([
        [A, 'OUT_OF_COMPLIANCE'],
        [B, 'AUTHORIZED'],
      ]);
      // The device owns its renewal cadence (+12 h while out of compliance): the cloud sends no renewal time.
      expect(r).not.toHaveProperty('nextRenewal');
      expect(r.validUntil).toBe(iso(now - 5 * MINUTE + 90 * DAY));
      expect(await pool(A)).toBe(3);
    });

    it('answers INVALID_TAG for a tag outside the catalogue, which makes the whole answer OUT_OF_COMPLIANCE', async () => {
      await deposit(A, 1);
      const r = await authorize(UDI1, [
        { tag: A, count: 1 },
        { tag: 'regid.bogus', count: 4 },
      ]);
      expect(r.status).toBe('OUT_OF_COMPLIANCE');
      expect(r.entitlements).toEqual([
        { tag: A, name: 'C9300 DNA Advantage', count: 1, status: 'AUTHORIZED' },
        { tag: 'regid.bogus', name: 'regid.bogus', count: 4, status: 'INVALID_TAG' },
      ]);
      expect(
        await cloud.run('test', (tx) => tx.findOne('licensePools', { va_id: va.id, tag: 'regid.bogus' })),
      ).toBeUndefined();
      expect((await instanceOf(UDI1)).entitlements).toEqual({ [A]: 1 });
    });

    it('authorizes a count of 0 even with no licenses at all', async () => {
      const r = await authorize(UDI1, [{ tag: B, count: 0 }]);
      expect(r.status).toBe('AUTHORIZED');
      expect(r.entitlements[0]!.status).toBe('AUTHORIZED');
      expect(await pool(B)).toBe(0);
    });

    it('keeps pool in-use equal to what the instance last asked for (sums repeats, raises, lowers, drops tags)', async () => {
      await authorize(UDI1, [
        { tag: A, count: 1 },
        { tag: A, count: 1 },
        { tag: B, count: 1 },
      ]);
      expect([await pool(A), await pool(B)]).toEqual([2, 1]);
      await authorize(UDI1, [
        { tag: A, count: 5 },
        { tag: B, count: 1 },
      ]);
      expect([await pool(A), await pool(B)]).toEqual([5, 1]);
      await authorize(UDI1, [{ tag: A, count: 3 }]);
      expect([await pool(A), await pool(B)]).toEqual([3, 0]);
      expect((await instanceOf(UDI1)).entitlements).toEqual({ [A]: 3 });
    });

    it('adds up the usage of several instances and logs instance.authorization only when the answer changes', async () => {
      await registerDevice(cloud, token.id, UDI2);
      await deposit(A, 2);
      await authorize(UDI1, [{ tag: A, count: 1 }]);
      await authorize(UDI1, [{ tag: A, count: 1 }]);
      expect((await authorize(UDI2, [{ tag: A, count: 2 }])).status).toBe('OUT_OF_COMPLIANCE');
      expect(await pool(A)).toBe(3);
      expect((await authorize(UDI2, [{ tag: A, count: 1 }])).status).toBe('AUTHORIZED');
      expect((await kinds()).filter((k) => k === 'instance.authorization')).toHaveLength(3);
    });
  });

  it('reportUsage updates pool in-use and last contact without an answer', async () => {
    await registerDevice(cloud, token.id, UDI1);
    await t.clock.advance(DAY);
    await cloud.run('test', async (tx, ctx) =>
      reportUsage(tx, ctx, await requireInstance(tx, UDI1), [
        { tag: A, count: 4 },
        { tag: 'regid.bogus', count: 1 },
      ]),
    );
    expect(await pool(A)).toBe(4);
    expect(await instanceOf(UDI1)).toMatchObject({ entitlements: { [A]: 4 }, lastContactAt: T0 + DAY });
    expect((await instanceOf(UDI1)).lastAuthorization).toBeUndefined();
  });

  describe('renewInstanceId', () => {
    it('issues a new certificate and serial; the old serial no longer authenticates', async () => {
      const dev = await registerDevice(cloud, token.id, UDI1);
      const oldSerial = dev.response.certificateSerial;
      await t.clock.advance(180 * DAY);
      const now = t.clock.now();
      const r = await cloud.run('test', async (tx, ctx) => renewInstanceId(tx, ctx, await requireInstance(tx, UDI1)));
      expect(r).toMatchObject({
        status: 'RENEWED',
        notBefore: iso(now - 5 * MINUTE),
        notAfter: iso(now - 5 * MINUTE + 365 * DAY),
      });
      expect(r.certificateSerial).not.toBe(oldSerial);
      expect(new X509Certificate(r.idCertificate).verify(cloud.ca.publicKey)).toBe(true);
      await expectDomainError(authenticate(dev, oldSerial), 'CERTIFICATE_UNKNOWN', oldSerial);
      expect((await authenticate(dev, r.certificateSerial)).certNotAfter).toBe(now - 5 * MINUTE + 365 * DAY);
      expect(await kinds()).toEqual(['instance.registered', 'instance.id-renewed']);
    });

    it('certifies the same key again', async () => {
      const dev = await registerDevice(cloud, token.id, UDI1);
      const r = await cloud.run('test', async (tx, ctx) => renewInstanceId(tx, ctx, await requireInstance(tx, UDI1)));
      expect(
        new X509Certificate(r.idCertificate).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      ).toBe(dev.publicKey);
      expect((await instanceOf(UDI1)).publicKey).toBe(dev.publicKey);
      await expectDomainError(authenticate({ ...dev, ...newDeviceKey() }, r.certificateSerial), 'SIGNATURE_INVALID');
    });
  });

  it('releaseInstance deregisters: licenses released, instance gone, event logged', async () => {
    const dev = await registerDevice(cloud, token.id, UDI1);
    await authorize(UDI1, [
      { tag: A, count: 2 },
      { tag: B, count: 1 },
    ]);
    const released = await cloud.run('test', async (tx, ctx) =>
      releaseInstance(tx, ctx, await requireInstance(tx, UDI1), 'instance.deregistered'),
    );
    expect(released).toBe(3);
    expect([await pool(A), await pool(B)]).toEqual([0, 0]);
    await expectDomainError(instanceOf(UDI1), 'INSTANCE_NOT_FOUND', 'PID:C9300-24T,SN:FOC0001');
    await expectDomainError(authenticate(dev, dev.response.certificateSerial), 'CERTIFICATE_UNKNOWN');
    const last = (await cloud.run('test', (tx) => tx.events({ limit: 100 }))).at(-1)!;
    expect(last).toMatchObject({
      kind: 'instance.deregistered',
      data: { udi: 'PID:C9300-24T,SN:FOC0001', released: 3 },
    });
    expect(last.message).toContain('3 license(s) released');
  });

  describe('transferInstance', () => {
    it('moves the instance and its usage to another VA of the account', async () => {
      await registerDevice(cloud, token.id, UDI1);
      await authorize(UDI1, [{ tag: A, count: 2 }]);
      await cloud.run('test', async (tx, ctx) =>
        transferInstance(tx, ctx, account, await requireInstance(tx, UDI1), branch),
      );
      expect((await instanceOf(UDI1)).vaId).toBe(branch.id);
      expect([await pool(A, va), await pool(A, branch)]).toEqual([0, 2]);
      expect((await instanceOf(UDI1)).entitlements).toEqual({ [A]: 2 });
      await expectDomainError(
        cloud.run('test', (tx) => requireInstance(tx, UDI1, va)),
        'INSTANCE_NOT_FOUND',
        'in DEFAULT',
      );
      expect((await cloud.run('test', (tx) => requireInstance(tx, UDI1, branch))).vaId).toBe(branch.id);
      expect(await kinds()).toContain('instance.transferred');
    });

    it('refuses to cross smart accounts (CROSS_ACCOUNT_TRANSFER) and changes nothing', async () => {
      const other = await setupAccount(cloud, 'other.example');
      await registerDevice(cloud, token.id, UDI1);
      await authorize(UDI1, [{ tag: A, count: 1 }]);
      await expectDomainError(
        cloud.run('test', async (tx, ctx) =>
          transferInstance(tx, ctx, account, await requireInstance(tx, UDI1), other.va),
        ),
        'CROSS_ACCOUNT_TRANSFER',
        'example.com',
      );
      await expectDomainError(
        cloud.run('test', async (tx, ctx) =>
          transferInstance(tx, ctx, other.account, await requireInstance(tx, UDI1), other.va),
        ),
        'CROSS_ACCOUNT_TRANSFER',
        'other.example',
      );
      expect((await instanceOf(UDI1)).vaId).toBe(va.id);
      expect(await pool(A)).toBe(1);
    });
  });

  it('requireInstance: INSTANCE_NOT_FOUND naming the UDI', async () => {
    await expectDomainError(instanceOf(UDI2), 'INSTANCE_NOT_FOUND', 'PID:C9300-24T,SN:FOC0002');
  });
});
