import { describe, expect, it } from 'vitest';
import { entitlementCatalogue, HOUR, DAY } from '#protocol';
import type { SmartAccount, VirtualAccount } from '../store/index.ts';
import { storeKinds, T0 } from '#test-support/test-stores.ts';
import { eachTestCloud, newToken, registerDevice, setupAccount, type TestCloud } from './test-cloud.test-support.ts';
import { createVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import { accountAlerts, vaCompliance } from './compliance.ts';
import { applyUsage, depositLicenses, type Deposit } from './pools.ts';
import { authorizeInstance, requireInstance } from './product-instances.ts';

const tagNamed = (name: string) => entitlementCatalogue.find((e) => e.name === name)!.tag;
const DNA_A = tagNamed('C9300 DNA Advantage');
const NW_E = tagNamed('C9300 Network Essentials');
const ASR = tagNamed('ASR 920 Metro Access');

describe.each(storeKinds)('compliance and alerts on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  let account: SmartAccount;
  let va: VirtualAccount;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
    ({ account, va } = await setupAccount(cloud));
  });

  const deposit = (d: Partial<Deposit>, into: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) =>
      depositLicenses(tx, ctx, into, { tag: DNA_A, quantity: 1, licenseType: 'PERPETUAL', ...d }),
    );
  const use = (n: number, tag = DNA_A, of: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) => applyUsage(tx, ctx, of, new Map([[tag, n]])));
  const alerts = (only?: VirtualAccount) => cloud.run('test', (tx) => accountAlerts(tx, account, t.clock.now(), only));

  it('has no alerts for a healthy account', async () => {
    await deposit({ quantity: 5 });
    await use(5);
    await deposit({ quantity: 1, licenseType: 'TERM', termDays: 91 });
    expect(await alerts()).toEqual([]);
  });

  it('raises a Major "Insufficient Licenses" alert when a pool is in deficit', async () => {
    await deposit({ quantity: 1 });
    await use(3);
    expect(await alerts()).toEqual([
      {
        severity: 'Major',
        messageType: 'Insufficient Licenses',
        virtualAccount: 'DEFAULT',
        source: 'C9300 DNA Advantage',
        message: '2 more C9300 DNA Advantage in use than purchased (3 in use, 1 purchased)',
      },
    ]);
  });

  it('raises "Licenses Expiring": Minor within 90 days, Major within 30, none beyond 90', async () => {
    await deposit({ quantity: 2, licenseType: 'TERM', termDays: 90 });
    await deposit({ quantity: 3, licenseType: 'TERM', termDays: 30 });
    await deposit({ quantity: 4, licenseType: 'TERM', termDays: 91 });
    await deposit({ quantity: 5, licenseType: 'DEMO', termDays: 31 });
    const expiring = (await alerts()).filter((a) => a.messageType === 'Licenses Expiring');
    expect(expiring.map((a) => [a.severity, a.message])).toEqual([
      ['Minor', '2 TERM C9300 DNA Advantage expire in 90 day(s) on 2026-04-01'],
      ['Major', '3 TERM C9300 DNA Advantage expire in 30 day(s) on 2026-01-31'],
      ['Minor', '5 DEMO C9300 DNA Advantage expire in 31 day(s) on 2026-02-01'],
    ]);
    expect(expiring.every((a) => a.virtualAccount === 'DEFAULT' && a.source === 'C9300 DNA Advantage')).toBe(true);
    await t.clock.advance(61 * DAY);
    expect((await alerts()).map((a) => [a.severity, a.message])).toEqual([
      ['Major', '2 TERM C9300 DNA Advantage expire in 29 day(s) on 2026-04-01'],
      ['Major', '4 TERM C9300 DNA Advantage expire in 30 day(s) on 2026-04-02'],
    ]);
  });

  it('rounds days up: an entry ending in 30 days and an hour is Minor', async () => {
    await deposit({ licenseType: 'TERM', endAt: T0 + 30 * DAY + HOUR });
    expect((await alerts()).map((a) => [a.severity, a.message])).toEqual([
      ['Minor', '1 TERM C9300 DNA Advantage expire in 31 day(s) on 2026-01-31'],
    ]);
  });

  it('raises "Product Instance Failed to Connect": Minor after 30 days silent, Major after 90', async () => {
    const token = await newToken(cloud, account, va);
    await registerDevice(cloud, token.id, { pid: 'C9300-24T', sn: 'FOC1' }, { hostname: 'core-sw1' });
    const failed = async () => (await alerts()).filter((a) => a.messageType === 'Product Instance Failed to Connect');
    await t.clock.advance(30 * DAY);
    expect(await failed()).toEqual([]);
    await t.clock.advance(1);
    expect(await failed()).toEqual([
      {
        severity: 'Minor',
        messageType: 'Product Instance Failed to Connect',
        virtualAccount: 'DEFAULT',
        source: 'PID:C9300-24T,SN:FOC1',
        message: 'core-sw1 (PID:C9300-24T,SN:FOC1) has not connected for 30 days',
      },
    ]);
    await t.clock.advance(60 * DAY);
    expect((await failed()).map((a) => a.severity)).toEqual(['Major']);
    expect((await failed())[0]!.message).toContain('for 90 days');
    // Contact (an authorization request) clears it.
    await cloud.run('test', async (tx, ctx) =>
      authorizeInstance(tx, ctx, await requireInstance(tx, { pid: 'C9300-24T', sn: 'FOC1' }), []),
    );
    expect(await failed()).toEqual([]);
  });

  it('covers every VA of the account, or only the one asked for', async () => {
    const branch = await cloud.run('test', (tx, ctx) => createVirtualAccount(tx, ctx, account, { name: 'Branch' }));
    const other = await setupAccount(cloud, 'other.example');
    await use(1);
    await use(1, DNA_A, branch);
    await use(1, DNA_A, other.va);
    expect((await alerts()).map((a) => a.virtualAccount).sort()).toEqual(['Branch', 'DEFAULT']);
    expect((await alerts(branch)).map((a) => a.virtualAccount)).toEqual(['Branch']);
  });

  it('vaCompliance summarises every pool of the VA, sorted by license name', async () => {
    await deposit({ tag: NW_E, quantity: 2 });
    await deposit({ tag: ASR, quantity: 1 });
    await deposit({ tag: DNA_A, quantity: 1 });
    await use(2, DNA_A);
    const pools = await cloud.run('test', (tx) => vaCompliance(tx, va, t.clock.now()));
    expect(pools.map((p) => [p.licenseName, p.purchased, p.inUse, p.status])).toEqual([
      ['ASR 920 Metro Access', 1, 0, 'In Compliance'],
      ['C9300 DNA Advantage', 1, 2, 'Out Of Compliance'],
      ['C9300 Network Essentials', 2, 0, 'In Compliance'],
    ]);
  });
});
