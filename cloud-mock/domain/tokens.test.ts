import { DAY } from '#protocol';
import { describe, expect, it } from 'vitest';
import type { RegistrationToken, SmartAccount, VirtualAccount } from '../store/index.ts';
import { storeKinds, T0 } from '#test-support/test-stores.ts';
import {
  eachTestCloud,
  expectDomainError,
  newToken,
  openTestCloud,
  registerDevice,
  setupAccount,
  type TestCloud,
} from './test-cloud.test-support.ts';
import { createVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import { createToken, listTokens, requireUsableToken, revokeTokens, tokenState, type NewToken } from './tokens.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(storeKinds)('registration tokens on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  let account: SmartAccount;
  let va: VirtualAccount;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
    ({ account, va } = await setupAccount(cloud));
  });

  const create = (input: NewToken = {}, into: VirtualAccount = va) => newToken(cloud, account, into, input);
  const stored = (id: string) => cloud.run('test', (tx) => tx.get('registrationTokens', id));
  const revoke = (ids: string[], from: VirtualAccount = va) =>
    cloud.run('test', (tx, ctx) => revokeTokens(tx, ctx, from, ids));
  const requireUsable = (id: string) => cloud.run('test', (tx, ctx) => requireUsableToken(tx, ctx, id));
  const listTokensOf = (of: VirtualAccount) => cloud.run('test', (tx) => listTokens(tx, of));
  const tokenEvents = async () =>
    (await cloud.run('test', (tx) => tx.events({ vaId: va.id, limit: 100 }))).filter((e) =>
      e.kind.startsWith('token.'),
    );

  describe('createToken', () => {
    it('defaults to 30 days, unlimited uses, not export-controlled; stores and logs the token', async () => {
      const token = await cloud.run('user:alice', (tx, ctx) =>
        createToken(tx, ctx, account, va, { description: 'lab switches' }),
      );
      expect(token).toMatchObject({
        accountId: account.id,
        vaId: va.id,
        description: 'lab switches',
        createdAt: T0,
        createdBy: 'user:alice',
        expiresAt: T0 + 30 * DAY,
        maxUses: null,
        uses: 0,
        exportControlled: false,
        revokedAt: null,
      });
      expect(await stored(token.id)).toEqual(token);
      const [event] = await tokenEvents();
      expect(event).toMatchObject({
        kind: 'token.created',
        actor: 'user:alice',
        data: { description: 'lab switches', expiresAt: T0 + 30 * DAY, maxUses: null, exportControlled: false },
      });
      expect(event!.message).toContain('30 days');
    });

    it('keeps the options it is given', async () => {
      const token = await create({ expiresAfterDays: 365, maxUses: 5, exportControlled: true });
      expect(token).toMatchObject({ expiresAt: T0 + 365 * DAY, maxUses: 5, exportControlled: true });
      expect((await tokenEvents())[0]!.message).toContain('5 uses');
    });

    it('makes token strings shaped like real ones: base64(uuid-expiry)%0Abase64(random)%3D, ≤ 255 characters, unique', async () => {
      const a = await create({ expiresAfterDays: 7 });
      const b = await create({ expiresAfterDays: 7 });
      expect(a.id).not.toBe(b.id);
      for (const { id } of [a, b]) {
        expect(id.length).toBeLessThanOrEqual(255);
        expect(id).toMatch(/^[A-Za-z0-9+/]+%0A[A-Za-z0-9+/]+%3D$/);
        const head = Buffer.from(id.split('%0A')[0]!, 'base64').toString();
        const [, uuid, expiry] = /^(.{36})-(\d+)$/.exec(head)!;
        expect(uuid).toMatch(UUID_RE);
        expect(Number(expiry)).toBe((T0 + 7 * DAY) / 1000);
      }
    });

    it('takes a fixed token value (seed files) and refuses it twice', async () => {
      const token = await create({ value: 'LAB-TOKEN-0001' });
      expect(token.id).toBe('LAB-TOKEN-0001');
      expect((await requireUsable('LAB-TOKEN-0001')).vaId).toBe(va.id);
      await expectDomainError(create({ value: 'LAB-TOKEN-0001' }), 'INVALID_VALUE', 'LAB-TOKEN-0001', 'exists');
      expect(await listTokensOf(va)).toHaveLength(1);
    });

    it.each(['short', 'has space in it', 'x'.repeat(256), 'semi;colon'])(
      'refuses the fixed token value %j (INVALID_VALUE)',
      async (value) => {
        await expectDomainError(create({ value }), 'INVALID_VALUE', 'token value', JSON.stringify(value.slice(0, 40)));
      },
    );

    it.each([1, 365])('accepts %i days', async (days) => {
      expect((await create({ expiresAfterDays: days })).expiresAt).toBe(T0 + days * DAY);
    });

    it.each([0, 366, -1, 1.5, Number.NaN])('refuses %d days (INVALID_VALUE naming the value)', async (days) => {
      await expectDomainError(
        create({ expiresAfterDays: days }),
        'INVALID_VALUE',
        'expiresAfterDays',
        'from 1 to 365',
        `got ${JSON.stringify(days)}`,
      );
      expect(await listTokensOf(va)).toEqual([]);
    });

    it('takes its limits from the cloud policy', async () => {
      const short = await openTestCloud(kind, { tokenDefaultDays: 2, tokenMaxDays: 10 });
      try {
        const s = await setupAccount(short.cloud);
        expect((await newToken(short.cloud, s.account, s.va)).expiresAt).toBe(T0 + 2 * DAY);
        await expectDomainError(
          newToken(short.cloud, s.account, s.va, { expiresAfterDays: 11 }),
          'INVALID_VALUE',
          'from 1 to 10',
          'got 11',
        );
      } finally {
        await short.cleanup();
      }
    });

    it.each([1, 1_000_000, null])('accepts maxUses %j', async (maxUses) => {
      expect((await create({ maxUses })).maxUses).toBe(maxUses);
    });

    it.each([0, -3, 2.5, 1_000_001])('refuses maxUses %d (INVALID_VALUE naming the value)', async (maxUses) => {
      await expectDomainError(create({ maxUses }), 'INVALID_VALUE', 'maxUses', `got ${maxUses}`);
    });

    it('accepts a 100-character description and refuses 101 (INVALID_VALUE naming the length)', async () => {
      expect((await create({ description: 'd'.repeat(100) })).description).toHaveLength(100);
      await expectDomainError(
        create({ description: 'd'.repeat(101) }),
        'INVALID_VALUE',
        '101 characters',
        'at most 100',
      );
    });
  });

  it('listTokens lists the tokens of one VA, oldest first', async () => {
    const branch = await cloud.run('test', (tx, ctx) => createVirtualAccount(tx, ctx, account, { name: 'Branch' }));
    const first = await create();
    await t.clock.advance(1000);
    const second = await create();
    await create({}, branch);
    expect((await listTokensOf(va)).map((x) => x.id)).toEqual([first.id, second.id]);
    expect(await listTokensOf(branch)).toHaveLength(1);
  });

  describe('tokenState', () => {
    const base = (over: Partial<RegistrationToken> = {}): RegistrationToken => ({
      id: 'tok',
      accountId: 'a',
      vaId: 'v',
      description: '',
      createdAt: T0,
      createdBy: 'test',
      expiresAt: T0 + DAY,
      maxUses: 2,
      uses: 0,
      exportControlled: false,
      revokedAt: null,
      ...over,
    });

    it('is ACTIVE before expiry with uses left, EXPIRED from expiresAt on', () => {
      expect(tokenState(base(), T0)).toBe('ACTIVE');
      expect(tokenState(base(), T0 + DAY - 1)).toBe('ACTIVE');
      expect(tokenState(base(), T0 + DAY)).toBe('EXPIRED');
    });

    it('is USED_UP at maxUses, never for unlimited tokens', () => {
      expect(tokenState(base({ uses: 1 }), T0)).toBe('ACTIVE');
      expect(tokenState(base({ uses: 2 }), T0)).toBe('USED_UP');
      expect(tokenState(base({ maxUses: null, uses: 10_000 }), T0)).toBe('ACTIVE');
    });

    it('says REVOKED before EXPIRED before USED_UP', () => {
      expect(tokenState(base({ revokedAt: T0, uses: 2 }), T0 + 2 * DAY)).toBe('REVOKED');
      expect(tokenState(base({ uses: 2 }), T0 + 2 * DAY)).toBe('EXPIRED');
    });

    it('follows the stored token as the clock passes its expiry', async () => {
      const token = await create({ expiresAfterDays: 1 });
      expect(tokenState((await stored(token.id))!, t.clock.now())).toBe('ACTIVE');
      await t.clock.advance(DAY);
      expect(tokenState((await stored(token.id))!, t.clock.now())).toBe('EXPIRED');
    });
  });

  describe('revokeTokens', () => {
    it('revokes the named tokens now and logs each once', async () => {
      const a = await create();
      const b = await create();
      await t.clock.advance(5000);
      const revoked = await revoke([a.id, b.id]);
      expect(revoked.map((x) => x.revokedAt)).toEqual([T0 + 5000, T0 + 5000]);
      expect((await stored(a.id))!.revokedAt).toBe(T0 + 5000);
      expect(tokenState((await stored(b.id))!, t.clock.now())).toBe('REVOKED');
      await t.clock.advance(5000);
      await revoke([a.id]);
      expect((await stored(a.id))!.revokedAt).toBe(T0 + 5000);
      expect((await tokenEvents()).filter((e) => e.kind === 'token.revoked')).toHaveLength(2);
    });

    it('fails the whole call on an unknown token (TOKEN_NOT_FOUND) and revokes nothing', async () => {
      const a = await create();
      await expectDomainError(revoke([a.id, 'bogus-token']), 'TOKEN_NOT_FOUND', 'bogus-token', va.name);
      expect((await stored(a.id))!.revokedAt).toBeNull();
      expect((await tokenEvents()).filter((e) => e.kind === 'token.revoked')).toEqual([]);
    });

    it("refuses another VA's token (TOKEN_NOT_FOUND)", async () => {
      const branch = await cloud.run('test', (tx, ctx) => createVirtualAccount(tx, ctx, account, { name: 'Branch' }));
      const other = await create({}, branch);
      await expectDomainError(revoke([other.id]), 'TOKEN_NOT_FOUND', other.id.slice(0, 24));
      expect((await stored(other.id))!.revokedAt).toBeNull();
    });
  });

  describe('requireUsableToken', () => {
    it('returns an active token', async () => {
      const token = await create();
      expect(await requireUsable(token.id)).toEqual(token);
    });

    it('TOKEN_UNKNOWN for a value the cloud never issued', async () => {
      const token = await create();
      await expectDomainError(requireUsable(token.id.slice(0, -3)), 'TOKEN_UNKNOWN', 'not known', 'copied whole');
    });

    it('TOKEN_EXPIRED once the clock passes its expiry, naming the date', async () => {
      const token = await create({ expiresAfterDays: 3 });
      await t.clock.advance(3 * DAY);
      await expectDomainError(requireUsable(token.id), 'TOKEN_EXPIRED', '2026-01-04T00:00:00.000Z');
    });

    it('TOKEN_REVOKED after revocation, naming the date', async () => {
      const token = await create();
      await t.clock.advance(DAY);
      await revoke([token.id]);
      await expectDomainError(requireUsable(token.id), 'TOKEN_REVOKED', '2026-01-02T00:00:00.000Z');
    });

    it('TOKEN_USES_EXHAUSTED when registrations used every use', async () => {
      const token = await create({ maxUses: 2 });
      await registerDevice(cloud, token.id, { pid: 'C9300-24T', sn: 'FOC1' });
      await registerDevice(cloud, token.id, { pid: 'C9300-24T', sn: 'FOC2' });
      expect((await stored(token.id))!.uses).toBe(2);
      await expectDomainError(requireUsable(token.id), 'TOKEN_USES_EXHAUSTED', '2 of 2');
    });
  });
});
