import { describe, expect, it } from 'vitest';
import { createLicenseTrust, parseLicenseFile, DAY, type Udi } from '#protocol';
import { CloudService } from './cloud-service.ts';
import { PostgresStore } from '../store/index.ts';
import type { SmartAccount } from '../store/index.ts';
import { storeKinds, T0, TEST_DATABASE_URL } from '#test-support/test-stores.ts';
import { eachTestCloud, expectDomainError, setupAccount, type TestCloud } from './test-cloud.test-support.ts';
import { createPak, fulfilPak, listPaks, remaining, requirePak, type NewPak, type SkuPick } from './paks.ts';

const G2: Udi = { pid: 'CISCO2911/K9', sn: 'FTX1524ABCD' };
const g2 = (n: number): Udi => ({ pid: 'CISCO2911/K9', sn: `FTX1524${String(n).padStart(4, '0')}` });

describe.each(storeKinds)('PAKs on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  let account: SmartAccount;
  let other: SmartAccount;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
    ({ account } = await setupAccount(cloud));
    ({ account: other } = await setupAccount(cloud, 'other.example', 'Other Corp'));
  });

  const pak = (input: NewPak, into = account) => cloud.run('test', (tx, ctx) => createPak(tx, ctx, into, input));
  const fulfil = (id: string, udi: Udi, picks: SkuPick[], as = account) =>
    cloud.run('test', (tx, ctx) => fulfilPak(tx, ctx, as, id, udi, picks));
  const left = async (id: string) =>
    Object.fromEntries(
      (await cloud.run('t', (tx) => requirePak(tx, account, id))).items.map((i) => [i.sku, remaining(i)]),
    );

  it('creates 11-character PAKs, merges repeated SKUs, and refuses unknown SKUs, bad quantities and taken keys', async () => {
    const p = await pak({
      items: [
        { sku: 'SL-29-SEC-K9', quantity: 3 },
        { sku: 'SL-29-SEC-K9', quantity: 2 },
      ],
    });
    expect(p.id).toMatch(/^[0-9A-HJ-NP-Z]{11}$/);
    expect(p.items).toEqual([{ sku: 'SL-29-SEC-K9', quantity: 5, fulfilled: 0, converted: 0 }]);
    await expectDomainError(pak({ items: [{ sku: 'NOPE', quantity: 1 }] }), 'SKU_UNKNOWN', 'SL-29-DATA-K9');
    await expectDomainError(pak({ items: [{ sku: 'SL-29-SEC-K9', quantity: 0 }] }), 'INVALID_VALUE', 'quantity');
    await expectDomainError(pak({ items: [] }), 'INVALID_VALUE', 'at least one');
    await expectDomainError(pak({ pak: 'short', items: [{ sku: 'SL-29-SEC-K9', quantity: 1 }] }), 'INVALID_VALUE');
    await pak({ pak: '3A1B2C3D4E5', items: [{ sku: 'SL-29-SEC-K9', quantity: 1 }] });
    await expectDomainError(
      pak({ pak: '3a1b2c3d4e5', items: [{ sku: 'SL-29-SEC-K9', quantity: 1 }] }, other),
      'PAK_EXISTS',
    );
  });

  it('partial fulfilment: a PAK of 10, deploy 2, 8 remain; the file verifies with the portal key and is for the UDI', async () => {
    const p = await pak({
      items: [
        { sku: 'SL-29-SEC-K9', quantity: 10 },
        { sku: 'SL-29-DATA-K9', quantity: 10 },
      ],
    });
    const issued = await fulfil(p.id, G2, [{ sku: 'SL-29-SEC-K9' }, { sku: 'SL-29-DATA-K9' }]);
    expect(await left(p.id)).toEqual({ 'SL-29-SEC-K9': 9, 'SL-29-DATA-K9': 9 });
    await fulfil(p.id, g2(2), [{ sku: 'SL-29-SEC-K9' }]);
    expect(await left(p.id)).toEqual({ 'SL-29-SEC-K9': 8, 'SL-29-DATA-K9': 9 });
    const file = parseLicenseFile(issued.licenseFile, createLicenseTrust([cloud.licenseKey.publicKeyPem]));
    if (!file.ok) throw new Error(file.error.message);
    expect(file.value.lines.map((l) => [l.feature, l.type, l.udi, l.count])).toEqual([
      ['securityk9', 'permanent', G2, null],
      ['datak9', 'permanent', G2, null],
    ]);
    expect(issued.fileName).toMatch(/^FTX1524ABCD_\d{17}\.lic$/);
    expect(issued.licenses.map((l) => l.pakId)).toEqual([p.id, p.id]);
    const events = (await cloud.run('t', (tx) => tx.events({ accountId: account.id, limit: 100 }))).filter((e) =>
      e.kind.startsWith('pak.'),
    );
    expect(events.map((e) => e.kind)).toEqual(['pak.created', 'pak.fulfilled', 'pak.fulfilled']);
    expect(events[1]!.data).toMatchObject({ pak: p.id, udi: 'PID:CISCO2911/K9,SN:FTX1524ABCD' });
  });

  it('never beyond its quantity: the refusal says what is left and issues nothing (all or nothing)', async () => {
    const p = await pak({
      items: [
        { sku: 'SL-29-SEC-K9', quantity: 1 },
        { sku: 'SL-29-DATA-K9', quantity: 5 },
      ],
    });
    await fulfil(p.id, G2, [{ sku: 'SL-29-SEC-K9' }]);
    await expectDomainError(
      fulfil(p.id, g2(2), [{ sku: 'SL-29-DATA-K9' }, { sku: 'SL-29-SEC-K9' }]),
      'PAK_EXHAUSTED',
      `PAK ${p.id} has 0 of 1 SL-29-SEC-K9 left to fulfil; asked for 1`,
    );
    expect(await left(p.id)).toEqual({ 'SL-29-SEC-K9': 0, 'SL-29-DATA-K9': 5 });
    expect(await cloud.run('t', (tx) => tx.list('portalLicenses', { udi: 'PID:CISCO2911/K9,SN:FTX15240002' }))).toEqual(
      [],
    );
  });

  it('counted SKUs add their count per unit on one line; uncounted ones take one unit; the PID must fit the SKU', async () => {
    const p = await pak({
      items: [
        { sku: 'FL-CME-SRST-25', quantity: 4 },
        { sku: 'SL-29-SEC-K9', quantity: 4 },
      ],
    });
    const issued = await fulfil(p.id, G2, [{ sku: 'FL-CME-SRST-25', quantity: 2 }]);
    expect(issued.licenses[0]).toMatchObject({ feature: 'cme-srst', count: 50 });
    await expectDomainError(fulfil(p.id, G2, [{ sku: 'SL-29-SEC-K9', quantity: 2 }]), 'INVALID_VALUE', 'uncounted');
    await expectDomainError(
      fulfil(p.id, { pid: 'CISCO1941/K9', sn: 'FTX0000AAAA' }, [{ sku: 'SL-29-SEC-K9' }]),
      'SKU_NOT_FOR_PLATFORM',
      'SL-29-SEC-K9 (securityk9) is for PIDs starting CISCO29, not CISCO1941/K9',
    );
    await expectDomainError(fulfil(p.id, G2, [{ sku: 'SL-29-DATA-K9' }]), 'INVALID_VALUE', 'holds no SL-29-DATA-K9');
    await expectDomainError(fulfil(p.id, G2, []), 'INVALID_VALUE');
    expect(await left(p.id)).toEqual({ 'FL-CME-SRST-25': 2, 'SL-29-SEC-K9': 4 });
  });

  it('subscription SKUs carry their calendar term on the line', async () => {
    const p = await pak({ items: [{ sku: 'FL-IPS-UPD-1Y', quantity: 1 }] });
    const issued = await fulfil(p.id, G2, [{ sku: 'FL-IPS-UPD-1Y' }]);
    const file = parseLicenseFile(issued.licenseFile, createLicenseTrust([cloud.licenseKey.publicKeyPem]));
    expect(file.ok && file.value.lines[0]).toMatchObject({
      feature: 'ios-ips-update',
      type: 'paidSubscription',
      startAt: T0,
      endAt: T0 + 365 * DAY,
      periodSeconds: null,
    });
  });

  it("one account can neither see nor use another's PAK: refused like a PAK that does not exist", async () => {
    const theirs = await pak({ items: [{ sku: 'SL-29-SEC-K9', quantity: 5 }] }, other);
    const absent = await expectDomainError(fulfil('ZZZZZZZZZZZ', G2, [{ sku: 'SL-29-SEC-K9' }]), 'PAK_NOT_FOUND');
    const foreign = await expectDomainError(fulfil(theirs.id, G2, [{ sku: 'SL-29-SEC-K9' }]), 'PAK_NOT_FOUND');
    expect(foreign.message.replace(theirs.id, 'X')).toBe(absent.message.replace('ZZZZZZZZZZZ', 'X'));
    expect(await cloud.run('t', (tx) => listPaks(tx, account))).toEqual([]);
    expect((await cloud.run('t', (tx) => listPaks(tx, other))).map((p) => p.id)).toEqual([theirs.id]);
    expect((await cloud.run('t', (tx) => requirePak(tx, other, theirs.id))).items[0]!.fulfilled).toBe(0);
  });

  it('50 concurrent fulfilments of a PAK of 10: exactly 10 succeed, 40 are PAK_EXHAUSTED, 10 lines stored', async () => {
    const p = await pak({ items: [{ sku: 'SL-29-SEC-K9', quantity: 10 }] });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => fulfil(p.id, g2(i), [{ sku: 'SL-29-SEC-K9' }])),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.length - refused.length).toBe(10);
    expect(refused.every((r) => (r.reason as { code: string }).code === 'PAK_EXHAUSTED')).toBe(true);
    expect(await left(p.id)).toEqual({ 'SL-29-SEC-K9': 0 });
    expect(await cloud.run('t', (tx) => tx.list('portalLicenses', { pak_id: p.id }))).toHaveLength(10);
  });

  if (kind === 'postgres')
    it('two cloud processes on one PostgreSQL database fulfilling one PAK together: never beyond its quantity', async () => {
      const p = await pak({ items: [{ sku: 'SL-29-SEC-K9', quantity: 10 }] });
      // A second store on the same schema: its own connection pool and mutex, only the advisory lock shared.
      const schema = /schema (\S+)$/.exec(t.db.store.location)![1]!;
      const store = await PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema });
      try {
        const second = await CloudService.open({ store, clock: t.clock });
        const runs = Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? second : cloud).run('test', (tx, ctx) =>
            fulfilPak(tx, ctx, account, p.id, g2(i), [{ sku: 'SL-29-SEC-K9' }]),
          ),
        );
        const results = await Promise.allSettled(runs);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
        expect(await left(p.id)).toEqual({ 'SL-29-SEC-K9': 0 });
        expect(await cloud.run('t', (tx) => tx.list('portalLicenses', { pak_id: p.id }))).toHaveLength(10);
      } finally {
        await store.close();
      }
    });

  it('licenses issued before a restart still verify with the key the restarted cloud hands out', async () => {
    const p = await pak({ items: [{ sku: 'SL-29-SEC-K9', quantity: 1 }] });
    const issued = await fulfil(p.id, G2, [{ sku: 'SL-29-SEC-K9' }]);
    const restarted = await t.reopen();
    expect(restarted.licenseKey.keyId).toBe(cloud.licenseKey.keyId);
    expect(parseLicenseFile(issued.licenseFile, createLicenseTrust([restarted.licenseKey.publicKeyPem])).ok).toBe(true);
  });
});
