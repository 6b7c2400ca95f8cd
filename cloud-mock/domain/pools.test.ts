import { describe, expect, it } from 'vitest';
import { entitlementCatalogue, DAY } from '#protocol';
import type { LicensePool, SmartAccount, VirtualAccount } from '../store/index.ts';
import { storeKinds, T0 } from '#test-support/test-stores.ts';
import { eachTestCloud, expectDomainError, setupAccount, type TestCloud } from './test-cloud.test-support.ts';
import { createVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import {
  applyUsage,
  depositLicenses,
  depositOrder,
  summarizePool,
  transferLicenses,
  withdrawLicenses,
  type Deposit,
  type LicenseTransfer,
  type OrderLine,
} from './pools.ts';

const tagNamed = (name: string) => entitlementCatalogue.find((e) => e.name === name)!.tag;
const DNA_A = tagNamed('C9300 DNA Advantage');
const ISR_APP = tagNamed('ISR_4331_Application');
const ISR_SEC = tagNamed('ISR_4331_Security');

describe.each(storeKinds)('license pools on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  let account: SmartAccount;
  let va: VirtualAccount;
  let branch: VirtualAccount;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
    ({ account, va } = await setupAccount(cloud));
    branch = await cloud.run('test', (tx, ctx) => createVirtualAccount(tx, ctx, account, { name: 'Branch' }));
  });

  const deposit = (d: Partial<Deposit>, into: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) =>
      depositLicenses(tx, ctx, into, { tag: DNA_A, quantity: 1, licenseType: 'PERPETUAL', ...d }),
    );
  const order = (lines: OrderLine[], into: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) => depositOrder(tx, ctx, cloud.skus, into, { orderId: 'ORD-1', lines }));
  const use = (delta: number, tag = DNA_A, of: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) => applyUsage(tx, ctx, of, new Map([[tag, delta]])));
  const poolOf = (of: VirtualAccount, tag = DNA_A) =>
    cloud.run('test', (tx) => tx.findOne('licensePools', { va_id: of.id, tag }));
  const summary = async (of: VirtualAccount = va, tag = DNA_A) =>
    summarizePool((await poolOf(of, tag))!, t.clock.now());
  const transfer = (
    tr: Partial<LicenseTransfer>,
    from: VirtualAccount = va,
    to: VirtualAccount = branch,
    as: SmartAccount = account,
  ) => cloud.run('test', (tx, ctx) => transferLicenses(tx, ctx, as, from, to, { tag: DNA_A, quantity: 1, ...tr }));
  const eventsOf = async (kind: string, of: VirtualAccount = va) =>
    (await cloud.run('test', (tx) => tx.events({ vaId: of.id, limit: 100 }))).filter((e) => e.kind === kind);

  describe('depositLicenses', () => {
    it('deposits PERPETUAL licenses into one pool per VA and tag, logging each deposit', async () => {
      const pool = await deposit({ quantity: 5, orderId: 'ORD-7' });
      expect(pool).toMatchObject({
        accountId: account.id,
        vaId: va.id,
        tag: DNA_A,
        licenseName: 'C9300 DNA Advantage',
        inUse: 0,
      });
      expect(pool.entries).toEqual([
        {
          id: expect.any(String),
          quantity: 5,
          licenseType: 'PERPETUAL',
          startAt: T0,
          endAt: null,
          sku: null,
          orderId: 'ORD-7',
          subscriptionId: null,
        },
      ]);
      await deposit({ quantity: 2 });
      const stored = await cloud.run('test', (tx) => tx.list('licensePools', { va_id: va.id }));
      expect(stored).toHaveLength(1);
      expect(stored[0]!.entries.map((e) => e.quantity)).toEqual([5, 2]);
      const events = await eventsOf('licenses.deposited');
      expect(events).toHaveLength(2);
      expect(events[0]!.message).toBe('5 PERPETUAL C9300 DNA Advantage deposited in DEFAULT (order ORD-7)');
    });

    it('deposits TERM licenses with termDays or an explicit end, and DEMO up to 60 days', async () => {
      await deposit({ licenseType: 'TERM', termDays: 365 });
      await deposit({ licenseType: 'TERM', startAt: T0 + DAY, endAt: T0 + 10 * DAY });
      const pool = await deposit({ licenseType: 'DEMO', termDays: 60 });
      expect(pool.entries.map((e) => [e.licenseType, e.startAt, e.endAt])).toEqual([
        ['TERM', T0, T0 + 365 * DAY],
        ['TERM', T0 + DAY, T0 + 10 * DAY],
        ['DEMO', T0, T0 + 60 * DAY],
      ]);
    });

    it('refuses DEMO licenses over 60 days (INVALID_VALUE naming the days asked)', async () => {
      await expectDomainError(
        deposit({ licenseType: 'DEMO', termDays: 61 }),
        'INVALID_VALUE',
        'at most 60 days',
        'asked for 61',
      );
      await expectDomainError(deposit({ licenseType: 'DEMO', endAt: T0 + 90 * DAY }), 'INVALID_VALUE', 'asked for 90');
      expect(await poolOf(va)).toBeUndefined();
    });

    it.each([
      ['TERM with no end', { licenseType: 'TERM' }, 'TERM licenses need an end date'],
      ['TERM ending at its start', { licenseType: 'TERM', endAt: T0 }, 'TERM licenses need an end date'],
      ['DEMO with a negative term', { licenseType: 'DEMO', termDays: -1 }, 'DEMO licenses need an end date'],
      ['PERPETUAL with a term', { licenseType: 'PERPETUAL', termDays: 30 }, 'PERPETUAL licenses have no end date'],
      ['PERPETUAL with an end', { licenseType: 'PERPETUAL', endAt: T0 + DAY }, 'PERPETUAL licenses have no end date'],
    ] as const)('refuses %s (INVALID_VALUE)', async (_what, d, message) => {
      await expectDomainError(deposit(d), 'INVALID_VALUE', message);
    });

    it('refuses a tag outside the catalogue (ENTITLEMENT_UNKNOWN naming it)', async () => {
      await expectDomainError(
        deposit({ tag: 'regid.2099-01.com.cisco.Nope,1.0_x' }),
        'ENTITLEMENT_UNKNOWN',
        '"regid.2099-01.com.cisco.Nope,1.0_x"',
      );
    });

    it.each([0, -1, 2.5, 10_000_001])('refuses quantity %d (INVALID_VALUE naming it)', async (quantity) => {
      await expectDomainError(deposit({ quantity }), 'INVALID_VALUE', 'quantity', `got ${quantity}`);
    });
  });

  describe('depositOrder', () => {
    it('expands a SKU into its entitlement tags: SL-4330-FND-K9 gives appxk9 and securityk9', async () => {
      const pools = await order([{ sku: 'SL-4330-FND-K9', quantity: 3 }]);
      expect(pools.map((p) => p.tag)).toEqual([ISR_APP, ISR_SEC]);
      for (const tag of [ISR_APP, ISR_SEC]) {
        const pool = (await poolOf(va, tag))!;
        expect(pool.entries).toMatchObject([
          { quantity: 3, licenseType: 'PERPETUAL', sku: 'SL-4330-FND-K9', orderId: 'ORD-1', endAt: null },
        ]);
      }
    });

    it('gives term SKUs their term: C9300-DNA-E-24-3Y lasts 3 × 365 days', async () => {
      const [pool] = await order([{ sku: 'C9300-DNA-E-24-3Y', quantity: 2 }]);
      expect(pool!.entries[0]).toMatchObject({
        quantity: 2,
        licenseType: 'TERM',
        startAt: T0,
        endAt: T0 + 3 * 365 * DAY,
      });
    });

    it('refuses an unknown SKU listing the known ones (SKU_UNKNOWN), and deposits nothing of the order', async () => {
      const err = await expectDomainError(
        order([
          { sku: 'SL-4330-APP-K9', quantity: 1 },
          { sku: 'NOPE-1', quantity: 1 },
        ]),
        'SKU_UNKNOWN',
        '"NOPE-1"',
        'known: ',
      );
      expect(err.message).toContain('SL-4330-FND-K9');
      expect(err.message).toContain('C9300-NW-E-24');
      expect(await poolOf(va, ISR_APP)).toBeUndefined();
    });

    it.each([0, 1.5])('refuses a line quantity of %d (INVALID_VALUE naming the SKU)', async (quantity) => {
      await expectDomainError(
        order([{ sku: 'SL-4330-SEC-K9', quantity }]),
        'INVALID_VALUE',
        'SL-4330-SEC-K9',
        `got ${quantity}`,
      );
    });
  });

  describe('summarizePool', () => {
    it('counts only active entries: future starts later, terms stop at endAt', async () => {
      await deposit({ quantity: 5 });
      await deposit({ quantity: 3, licenseType: 'TERM', termDays: 10 });
      await deposit({ quantity: 2, licenseType: 'TERM', startAt: T0 + 5 * DAY, termDays: 100 });
      expect((await summary()).purchased).toBe(8);
      await t.clock.advance(5 * DAY);
      expect((await summary()).purchased).toBe(10);
      await t.clock.advance(5 * DAY - 1);
      expect((await summary()).purchased).toBe(10);
      await t.clock.advance(1);
      expect((await summary()).purchased).toBe(7);
    });

    it('balance = purchased − in use; negative is Out Of Compliance', async () => {
      await deposit({ quantity: 2 });
      await use(2);
      expect(await summary()).toMatchObject({
        tag: DNA_A,
        licenseName: 'C9300 DNA Advantage',
        purchased: 2,
        inUse: 2,
        balance: 0,
        status: 'In Compliance',
      });
      await use(1);
      expect(await summary()).toMatchObject({ inUse: 3, balance: -1, status: 'Out Of Compliance' });
    });

    it('a pool goes Out Of Compliance when its term licenses expire under use', async () => {
      await deposit({ quantity: 1, licenseType: 'TERM', termDays: 30 });
      await use(1);
      expect((await summary()).status).toBe('In Compliance');
      await t.clock.advance(30 * DAY);
      expect(await summary()).toMatchObject({ purchased: 0, balance: -1, status: 'Out Of Compliance', expiring: [] });
    });

    it('lists active entries ending within 90 days as expiring', async () => {
      await deposit({ quantity: 5 });
      await deposit({ quantity: 3, licenseType: 'TERM', termDays: 90 });
      await deposit({ quantity: 4, licenseType: 'TERM', termDays: 91 });
      await deposit({ quantity: 6, licenseType: 'DEMO', termDays: 20 });
      expect((await summary()).expiring).toEqual([
        { quantity: 3, endAt: T0 + 90 * DAY, licenseType: 'TERM' },
        { quantity: 6, endAt: T0 + 20 * DAY, licenseType: 'DEMO' },
      ]);
      await t.clock.advance(DAY);
      expect((await summary()).expiring.map((e) => e.quantity)).toEqual([3, 4, 6]);
    });
  });

  describe('applyUsage', () => {
    it('never lets in-use go below 0', async () => {
      await use(2);
      await use(-5);
      expect((await poolOf(va))!.inUse).toBe(0);
    });

    it('logs compliance.changed on each flip and only then', async () => {
      await deposit({ quantity: 1 });
      await use(1);
      expect(await eventsOf('compliance.changed')).toEqual([]);
      await use(1);
      await use(1);
      await use(-2);
      const flips = await eventsOf('compliance.changed');
      expect(flips.map((e) => e.data)).toEqual([
        { tag: DNA_A, status: 'Out Of Compliance', inUse: 2 },
        { tag: DNA_A, status: 'In Compliance', inUse: 1 },
      ]);
      expect(flips[0]!.message).toBe('C9300 DNA Advantage in DEFAULT is now Out Of Compliance');
    });

    it('logs compliance.changed when a deposit brings a pool back into compliance', async () => {
      await use(1);
      expect((await eventsOf('compliance.changed')).map((e) => e.data.status)).toEqual(['Out Of Compliance']);
      await deposit({ quantity: 1 });
      expect((await eventsOf('compliance.changed')).map((e) => e.data.status)).toEqual([
        'Out Of Compliance',
        'In Compliance',
      ]);
    });
  });

  describe('withdrawLicenses', () => {
    const withdraw = (quantity: number, tag = DNA_A) =>
      cloud.run('test', (tx, ctx) => withdrawLicenses(tx, ctx, va, tag, quantity));

    it('takes the soonest-ending licenses first, in use or not, and logs the removal and the compliance flip', async () => {
      await deposit({ quantity: 3 });
      await deposit({ quantity: 2, licenseType: 'TERM', termDays: 30 });
      await deposit({ quantity: 2, licenseType: 'TERM', termDays: 365 });
      await use(5);
      expect(await withdraw(3)).toBe(3);
      const pool = (await poolOf(va))!;
      expect(pool.entries.map((e) => [e.licenseType, e.quantity])).toEqual([
        ['PERPETUAL', 3],
        ['TERM', 1],
      ]);
      expect(await summary()).toMatchObject({ purchased: 4, inUse: 5, status: 'Out Of Compliance' });
      expect((await eventsOf('licenses.removed')).map((e) => e.message)).toEqual([
        '3 C9300 DNA Advantage removed from DEFAULT',
      ]);
      expect(await eventsOf('compliance.changed')).toHaveLength(1);
    });

    it('removes at most what the pool holds; an empty or missing pool gives 0 and logs nothing', async () => {
      await deposit({ quantity: 2 });
      expect(await withdraw(5)).toBe(2);
      expect(await withdraw(1)).toBe(0);
      expect(await withdraw(1, ISR_APP)).toBe(0);
      expect(await eventsOf('licenses.removed')).toHaveLength(1);
    });

    it.each([0, -1, 1.5])('refuses quantity %s (INVALID_VALUE)', async (quantity) => {
      await expectDomainError(withdraw(quantity), 'INVALID_VALUE', `got ${quantity}`);
    });
  });

  describe('transferLicenses', () => {
    const entriesOf = (pool: LicensePool | undefined) =>
      (pool?.entries ?? []).map((e) => [e.licenseType, e.quantity, e.endAt]);

    it('moves available licenses longest term first (perpetual, then the latest end) and logs it', async () => {
      await deposit({ quantity: 3, licenseType: 'TERM', termDays: 100 });
      await deposit({ quantity: 2 });
      await deposit({ quantity: 4, licenseType: 'TERM', termDays: 400 });
      await transfer({ quantity: 5 });
      expect(entriesOf(await poolOf(branch))).toEqual([
        ['PERPETUAL', 2, null],
        ['TERM', 3, T0 + 400 * DAY],
      ]);
      expect(entriesOf(await poolOf(va))).toEqual([
        ['TERM', 3, T0 + 100 * DAY],
        ['TERM', 1, T0 + 400 * DAY],
      ]);
      expect((await summary(branch)).purchased).toBe(5);
      expect((await eventsOf('licenses.transferred'))[0]).toMatchObject({
        accountId: account.id,
        message: '5 C9300 DNA Advantage transferred from DEFAULT to Branch',
        data: { tag: DNA_A, quantity: 5, from: 'DEFAULT', to: 'Branch' },
      });
    });

    it('moves only the license type asked for', async () => {
      await deposit({ quantity: 2 });
      await deposit({ quantity: 2, licenseType: 'TERM', termDays: 50 });
      await transfer({ quantity: 2, licenseType: 'TERM' });
      expect(entriesOf(await poolOf(branch))).toEqual([['TERM', 2, T0 + 50 * DAY]]);
      await expectDomainError(
        transfer({ quantity: 1, licenseType: 'DEMO' }),
        'INSUFFICIENT_LICENSES',
        'has 0 available DEMO',
      );
    });

    it('cannot move licenses in use (INSUFFICIENT_LICENSES naming what is available), nothing moves', async () => {
      await deposit({ quantity: 3 });
      await use(2);
      await expectDomainError(
        transfer({ quantity: 2 }),
        'INSUFFICIENT_LICENSES',
        'DEFAULT has 1 available C9300 DNA Advantage',
        'asked for 2',
      );
      expect(await poolOf(branch)).toBeUndefined();
      expect(entriesOf(await poolOf(va))).toEqual([['PERPETUAL', 3, null]]);
      await transfer({ quantity: 1 });
      expect((await summary()).balance).toBe(0);
    });

    it('refuses when the source has no pool, or only expired or future licenses', async () => {
      await expectDomainError(transfer({ quantity: 1 }), 'INSUFFICIENT_LICENSES', 'has 0 available', DNA_A);
      await deposit({ quantity: 2, licenseType: 'TERM', startAt: T0 + DAY, termDays: 10 });
      await expectDomainError(transfer({ quantity: 1 }), 'INSUFFICIENT_LICENSES', 'has 0 available');
    });

    it('refuses a VA of another smart account (CROSS_ACCOUNT_TRANSFER)', async () => {
      const other = await setupAccount(cloud, 'other.example');
      await deposit({ quantity: 2 });
      await expectDomainError(transfer({ quantity: 1 }, va, other.va), 'CROSS_ACCOUNT_TRANSFER', 'example.com');
      await expectDomainError(
        transfer({ quantity: 1 }, va, branch, other.account),
        'CROSS_ACCOUNT_TRANSFER',
        'other.example',
      );
      expect(await poolOf(other.va)).toBeUndefined();
    });

    it('refuses the same VA as source and target, and a bad quantity (INVALID_VALUE)', async () => {
      await deposit({ quantity: 2 });
      await expectDomainError(transfer({ quantity: 1 }, va, va), 'INVALID_VALUE', 'both DEFAULT');
      await expectDomainError(transfer({ quantity: 0 }), 'INVALID_VALUE', 'got 0');
    });

    it('logs compliance.changed when the licenses moved bring the target back into compliance', async () => {
      await deposit({ quantity: 2 });
      await use(1, DNA_A, branch);
      await transfer({ quantity: 1 });
      expect((await summary(branch)).status).toBe('In Compliance');
      expect((await eventsOf('compliance.changed', branch)).map((e) => e.data.status)).toEqual([
        'Out Of Compliance',
        'In Compliance',
      ]);
    });
  });
});
