import { describe, expect, it } from 'vitest';
import { entitlementCatalogue } from '#protocol';
import type { SmartAccount } from '../store/index.ts';
import { storeKinds, T0 } from '#test-support/test-stores.ts';
import {
  eachTestCloud,
  expectDomainError,
  newToken,
  registerDevice,
  setupAccount,
  type TestCloud,
} from './test-cloud.test-support.ts';
import {
  createSmartAccount,
  createVirtualAccount,
  deleteVirtualAccount,
  DEFAULT_VA_NAME,
  requireAccount,
  requireVirtualAccount,
} from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import { depositLicenses } from './pools.ts';
import { authorizeInstance, releaseInstance, requireInstance } from './product-instances.ts';

const TAG = entitlementCatalogue[0]!.tag;

describe.each(storeKinds)('accounts on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
  });

  const create = (input: Parameters<typeof createSmartAccount>[2]) =>
    cloud.run('test', (tx, ctx) => createSmartAccount(tx, ctx, input));
  const createVa = (account: SmartAccount, name: string, description?: string) =>
    cloud.run('test', (tx, ctx) =>
      createVirtualAccount(tx, ctx, account, { name, ...(description !== undefined ? { description } : {}) }),
    );
  const listVas = (account: SmartAccount) =>
    cloud.run('test', (tx) => tx.list('virtualAccounts', { account_id: account.id }));
  const deleteVa = (account: SmartAccount, name: string) =>
    cloud.run('test', (tx, ctx) => deleteVirtualAccount(tx, ctx, account, name));

  describe('createSmartAccount', () => {
    it('creates the account (domain trimmed and lower-cased, CUSTOMER by default) with a default VA "DEFAULT"', async () => {
      const account = await create({ name: '  Example Corp ', domain: ' Example.COM ' });
      expect(account).toMatchObject({ name: 'Example Corp', domain: 'example.com', type: 'CUSTOMER', createdAt: T0 });
      const vas = await listVas(account);
      expect(vas).toHaveLength(1);
      expect(vas[0]).toMatchObject({ accountId: account.id, name: DEFAULT_VA_NAME, isDefault: true, createdAt: T0 });
      expect(await cloud.run('test', (tx) => tx.get('smartAccounts', account.id))).toEqual(account);
    });

    it('creates HOLDING accounts when asked', async () => {
      expect((await create({ name: 'Partner', domain: 'partner.example', type: 'HOLDING' })).type).toBe('HOLDING');
    });

    it('logs account.created and virtual-account.created as the acting user', async () => {
      const account = await cloud.run('user:alice', (tx, ctx) =>
        createSmartAccount(tx, ctx, { name: 'Example', domain: 'example.com' }),
      );
      const events = await cloud.run('test', (tx) => tx.events({ accountId: account.id, limit: 10 }));
      expect(events.map((e) => e.kind)).toEqual(['account.created', 'virtual-account.created']);
      expect(events.every((e) => e.actor === 'user:alice' && e.at === T0)).toBe(true);
      expect(events[0]!.message).toContain('example.com');
      expect(events[0]!.data).toEqual({ type: 'CUSTOMER' });
      expect(events[1]!.vaId).toBe((await listVas(account))[0]!.id);
    });

    it('refuses a second account with the same domain, whatever its case (ACCOUNT_EXISTS)', async () => {
      await create({ name: 'Example', domain: 'example.com' });
      await expectDomainError(create({ name: 'Other', domain: 'EXAMPLE.com' }), 'ACCOUNT_EXISTS', 'example.com');
      expect(await cloud.run('test', (tx) => tx.list('smartAccounts'))).toHaveLength(1);
    });

    it.each(['not a domain', 'example', '-bad.example', 'bad-.example', 'exa_mple.com', '', 'example.com.'])(
      'refuses the domain %j (INVALID_VALUE naming it)',
      async (domain) => {
        await expectDomainError(create({ name: 'Example', domain }), 'INVALID_VALUE', `"${domain}"`, 'domain');
        expect(await cloud.run('test', (tx) => tx.list('smartAccounts'))).toEqual([]);
      },
    );

    it.each([
      ['empty', '   '],
      ['129 characters', 'n'.repeat(129)],
    ])('refuses a name that is %s (INVALID_VALUE naming it)', async (_why, name) => {
      await expectDomainError(create({ name, domain: 'example.com' }), 'INVALID_VALUE', JSON.stringify(name), '1–128');
    });

    it('accepts a 128-character name', async () => {
      expect((await create({ name: 'n'.repeat(128), domain: 'example.com' })).name).toHaveLength(128);
    });

    it('refuses an unknown account type (INVALID_VALUE naming it)', async () => {
      await expectDomainError(
        create({ name: 'X', domain: 'x.example', type: 'PARTNER' as never }),
        'INVALID_VALUE',
        '"PARTNER"',
        'CUSTOMER or HOLDING',
      );
      expect(await cloud.run('test', (tx) => tx.list('smartAccounts'))).toEqual([]);
    });
  });

  describe('requireAccount', () => {
    it('finds an account by domain, case-insensitively', async () => {
      const { account } = await setupAccount(cloud);
      expect(await cloud.run('test', (tx) => requireAccount(tx, ' EXAMPLE.com'))).toEqual(account);
    });

    it('names the unknown domain and the known ones (ACCOUNT_NOT_FOUND)', async () => {
      await expectDomainError(
        cloud.run('test', (tx) => requireAccount(tx, 'nowhere.example')),
        'ACCOUNT_NOT_FOUND',
        '"nowhere.example"',
      );
      await setupAccount(cloud, 'one.example');
      await setupAccount(cloud, 'two.example');
      await expectDomainError(
        cloud.run('test', (tx) => requireAccount(tx, 'nowhere.example')),
        'ACCOUNT_NOT_FOUND',
        'known: ',
        'one.example',
        'two.example',
      );
    });
  });

  describe('virtual accounts', () => {
    it('creates and lists virtual accounts, logging each', async () => {
      const { account } = await setupAccount(cloud);
      const branch = await createVa(account, ' Branch ', 'Branch offices');
      expect(branch).toMatchObject({
        accountId: account.id,
        name: 'Branch',
        description: 'Branch offices',
        isDefault: false,
        createdAt: T0,
      });
      await createVa(account, 'Lab');
      expect((await listVas(account)).map((v) => v.name).sort()).toEqual(['Branch', 'DEFAULT', 'Lab']);
      expect(await cloud.run('test', (tx) => requireVirtualAccount(tx, account, 'Branch'))).toEqual(branch);
      const events = await cloud.run('test', (tx) => tx.events({ vaId: branch.id, limit: 10 }));
      expect(events.map((e) => [e.kind, e.message])).toEqual([
        ['virtual-account.created', 'Virtual account Branch created'],
      ]);
    });

    it('refuses a duplicate name in the same smart account (VIRTUAL_ACCOUNT_EXISTS), allows it in another', async () => {
      const { account } = await setupAccount(cloud);
      const { account: other } = await setupAccount(cloud, 'other.example');
      await createVa(account, 'Branch');
      await expectDomainError(createVa(account, 'Branch'), 'VIRTUAL_ACCOUNT_EXISTS', '"Branch"', 'example.com');
      await expectDomainError(createVa(account, DEFAULT_VA_NAME), 'VIRTUAL_ACCOUNT_EXISTS', '"DEFAULT"');
      expect((await createVa(other, 'Branch')).accountId).toBe(other.id);
      expect(await listVas(account)).toHaveLength(2);
    });

    it.each([
      ['empty', ' '],
      ['65 characters', 'v'.repeat(65)],
    ])('refuses a name that is %s (INVALID_VALUE naming it)', async (_why, name) => {
      const { account } = await setupAccount(cloud);
      await expectDomainError(createVa(account, name), 'INVALID_VALUE', JSON.stringify(name), '1–64');
    });

    it('names an unknown virtual account and the known ones (VIRTUAL_ACCOUNT_NOT_FOUND)', async () => {
      const { account } = await setupAccount(cloud);
      await createVa(account, 'Branch');
      await expectDomainError(
        cloud.run('test', (tx) => requireVirtualAccount(tx, account, 'Nope')),
        'VIRTUAL_ACCOUNT_NOT_FOUND',
        '"Nope"',
        'example.com',
        'known: ',
        'Branch',
        'DEFAULT',
      );
    });
  });

  describe('deleteVirtualAccount', () => {
    it('refuses the default virtual account (VIRTUAL_ACCOUNT_NOT_EMPTY)', async () => {
      const { account } = await setupAccount(cloud);
      await expectDomainError(deleteVa(account, DEFAULT_VA_NAME), 'VIRTUAL_ACCOUNT_NOT_EMPTY', 'DEFAULT', 'default');
      expect(await listVas(account)).toHaveLength(1);
    });

    it('refuses an unknown virtual account (VIRTUAL_ACCOUNT_NOT_FOUND)', async () => {
      const { account } = await setupAccount(cloud);
      await expectDomainError(deleteVa(account, 'Ghost'), 'VIRTUAL_ACCOUNT_NOT_FOUND', '"Ghost"');
    });

    it('refuses a virtual account holding licenses', async () => {
      const { account } = await setupAccount(cloud);
      const branch = await createVa(account, 'Branch');
      await cloud.run('test', (tx, ctx) =>
        depositLicenses(tx, ctx, branch, { tag: TAG, quantity: 1, licenseType: 'PERPETUAL' }),
      );
      await expectDomainError(
        deleteVa(account, 'Branch'),
        'VIRTUAL_ACCOUNT_NOT_EMPTY',
        'Branch',
        '0 product instance(s) and 1 license pool(s)',
      );
      expect(await listVas(account)).toHaveLength(2);
    });

    it('refuses a virtual account holding a product instance', async () => {
      const { account } = await setupAccount(cloud);
      const branch = await createVa(account, 'Branch');
      const token = await newToken(cloud, account, branch);
      await registerDevice(cloud, token.id, { pid: 'C9300-24T', sn: 'FOC1' });
      await expectDomainError(
        deleteVa(account, 'Branch'),
        'VIRTUAL_ACCOUNT_NOT_EMPTY',
        'Branch',
        '1 product instance(s)',
      );
    });

    it('deletes an empty virtual account with its tokens and emptied pools, and logs it', async () => {
      const { account } = await setupAccount(cloud);
      const branch = await createVa(account, 'Branch');
      const token = await newToken(cloud, account, branch);
      // A device that used licenses and left again: the pool row stays behind, empty.
      const device = await registerDevice(cloud, token.id, { pid: 'C9300-24T', sn: 'FOC1' });
      await cloud.run('test', async (tx, ctx) =>
        authorizeInstance(tx, ctx, await requireInstance(tx, device.udi), [{ tag: TAG, count: 1 }]),
      );
      await cloud.run('test', async (tx, ctx) =>
        releaseInstance(tx, ctx, await requireInstance(tx, device.udi), 'instance.deregistered'),
      );
      expect(await cloud.run('test', (tx) => tx.list('licensePools', { va_id: branch.id }))).toHaveLength(1);

      await deleteVa(account, 'Branch');
      await cloud.run('test', async (tx) => {
        expect(await tx.get('virtualAccounts', branch.id)).toBeUndefined();
        expect(await tx.list('registrationTokens', { va_id: branch.id })).toEqual([]);
        expect(await tx.list('licensePools', { va_id: branch.id })).toEqual([]);
        const last = (await tx.events({ accountId: account.id, limit: 100 })).at(-1);
        expect(last).toMatchObject({
          kind: 'virtual-account.deleted',
          vaId: branch.id,
          message: 'Virtual account Branch deleted',
        });
      });
      // The name can be used again.
      await createVa(account, 'Branch');
    });
  });
});
