import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.ts';
import type { NewCloudEvent, ProductInstance, SmartAccount, VirtualAccount } from './records.ts';
import { SqliteStore } from './sqlite-store.ts';
import { migrations } from './schema.ts';
import { StoreError, StoreValueError, type Tx } from './store.ts';
import { openTestStore, storeKinds, T0, TEST_DATABASE_URL, type TestStore } from '#test-support/test-stores.ts';

const account = (id: string, domain: string): SmartAccount => ({
  id,
  name: `Account ${id}`,
  domain,
  type: 'CUSTOMER',
  createdAt: T0,
});
const va = (id: string, accountId: string, name: string): VirtualAccount => ({
  id,
  accountId,
  name,
  description: '',
  isDefault: false,
  createdAt: T0,
});
const instance = (id: string, vaId: string, sn: string, certSerial: string): ProductInstance => ({
  id,
  accountId: 'a1',
  vaId,
  udi: { pid: 'C9300-24T', sn },
  udiKey: `PID:C9300-24T,SN:${sn}`,
  hostname: `sw-${sn}`,
  registeredAt: T0,
  tokenId: 'tok',
  exportControlled: false,
  certSerial,
  certNotAfter: T0 + 1,
  publicKey: 'AAAA',
  lastContactAt: T0,
  softwareVersion: null,
  entitlements: { 'regid.x': 2 },
});
const event = (n: number, accountId: string | null, vaId: string | null): NewCloudEvent => ({
  at: T0 + n * 1000,
  accountId,
  vaId,
  kind: `test.${n}`,
  actor: 'test',
  message: `event ${n}`,
  data: { n, nested: { list: [n, 'x'] } },
});

describe.each(storeKinds)('%s store', (kind) => {
  let db: TestStore;
  beforeEach(async () => {
    db = await openTestStore(kind);
  });
  afterEach(async () => {
    await db.cleanup();
  });

  /** Two accounts; a1 has VAs v1 and v2, a2 has v3. */
  async function seed(): Promise<void> {
    await db.store.tx(async (tx) => {
      await tx.put('smartAccounts', account('a1', 'one.example'));
      await tx.put('smartAccounts', account('a2', 'two.example'));
      await tx.put('virtualAccounts', va('v2', 'a1', 'Branch'));
      await tx.put('virtualAccounts', va('v1', 'a1', 'DEFAULT'));
      await tx.put('virtualAccounts', va('v3', 'a2', 'DEFAULT'));
    });
  }

  it('reports its dialect and a location without credentials', () => {
    expect(db.store.dialect).toBe(kind);
    expect(db.store.location).toMatch(
      kind === 'sqlite' ? /^sqlite .*cloud\.db$/ : /^postgres \S+:\d+\/\S* schema lab_test_[0-9a-f]+$/,
    );
    expect(db.store.location).not.toContain('@');
  });

  it('put/get round-trips whole records; get of an unknown id is undefined', async () => {
    await seed();
    const pi = instance('p1', 'v1', 'FOC1', 'aa01');
    await db.store.tx((tx) => tx.put('productInstances', pi));
    await db.store.tx(async (tx) => {
      expect(await tx.get('productInstances', 'p1')).toEqual(pi);
      expect(await tx.get('smartAccounts', 'a1')).toEqual(account('a1', 'one.example'));
      expect(await tx.get('smartAccounts', 'nope')).toBeUndefined();
    });
  });

  it('findOne and list filter by index columns (AND of all given), list is ordered by id', async () => {
    await seed();
    await db.store.tx(async (tx) => {
      expect((await tx.findOne('smartAccounts', { domain: 'two.example' }))?.id).toBe('a2');
      expect(await tx.findOne('smartAccounts', { domain: 'three.example' })).toBeUndefined();
      expect((await tx.findOne('virtualAccounts', { account_id: 'a2', name: 'DEFAULT' }))?.id).toBe('v3');
      expect(await tx.findOne('virtualAccounts', { account_id: 'a2', name: 'Branch' })).toBeUndefined();
      expect((await tx.list('virtualAccounts', { account_id: 'a1' })).map((v) => v.id)).toEqual(['v1', 'v2']);
      expect((await tx.list('virtualAccounts', { name: 'DEFAULT' })).map((v) => v.id)).toEqual(['v1', 'v3']);
      expect((await tx.list('virtualAccounts')).map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
      expect(await tx.list('virtualAccounts', { account_id: 'a9' })).toEqual([]);
    });
  });

  it('list orders ids bytewise on both stores (no locale collation)', async () => {
    await db.store.tx(async (tx) => {
      for (const id of ['b', 'B', 'a', '_x', 'A-2', 'A1'])
        await tx.put(
          'smartAccounts',
          account(id, `${id.toLowerCase().replace(/[^a-z0-9]/g, '')}${id.charCodeAt(0)}.example`),
        );
    });
    expect((await db.store.tx((tx) => tx.list('smartAccounts'))).map((a) => a.id)).toEqual([
      'A-2',
      'A1',
      'B',
      '_x',
      'a',
      'b',
    ]);
  });

  it('remove deletes by id and says whether anything was there', async () => {
    await seed();
    await db.store.tx(async (tx) => {
      expect(await tx.remove('virtualAccounts', 'v2')).toBe(true);
      expect(await tx.remove('virtualAccounts', 'v2')).toBe(false);
    });
    await db.store.tx(async (tx) => {
      expect(await tx.get('virtualAccounts', 'v2')).toBeUndefined();
      expect((await tx.list('virtualAccounts', { account_id: 'a1' })).map((v) => v.id)).toEqual(['v1']);
    });
  });

  it('put upserts: the doc and the index columns are replaced', async () => {
    await seed();
    await db.store.tx((tx) => tx.put('virtualAccounts', { ...va('v2', 'a1', 'Lab'), description: 'renamed' }));
    await db.store.tx(async (tx) => {
      expect(await tx.findOne('virtualAccounts', { account_id: 'a1', name: 'Branch' })).toBeUndefined();
      expect(await tx.findOne('virtualAccounts', { account_id: 'a1', name: 'Lab' })).toMatchObject({
        id: 'v2',
        description: 'renamed',
      });
      expect(await tx.list('virtualAccounts', { account_id: 'a1' })).toHaveLength(2);
      // The old name is free again.
      await tx.put('virtualAccounts', va('v4', 'a1', 'Branch'));
    });
  });

  it.each([
    ['smart account domain', async (tx: Tx) => tx.put('smartAccounts', account('a3', 'one.example'))],
    ['(account_id, name) of a virtual account', async (tx: Tx) => tx.put('virtualAccounts', va('v9', 'a1', 'Branch'))],
    ['product instance udi', async (tx: Tx) => tx.put('productInstances', instance('p2', 'v2', 'FOC1', 'bb02'))],
    [
      'product instance cert_serial',
      async (tx: Tx) => tx.put('productInstances', instance('p2', 'v2', 'FOC2', 'aa01')),
    ],
  ])('a duplicate %s is refused and the whole transaction rolls back', async (_what, duplicate) => {
    await seed();
    await db.store.tx((tx) => tx.put('productInstances', instance('p1', 'v1', 'FOC1', 'aa01')));
    await expect(
      db.store.tx(async (tx) => {
        await tx.put('smartAccounts', account('a5', 'five.example'));
        await tx.put('virtualAccounts', { ...va('v1', 'a1', 'DEFAULT'), description: 'changed' });
        await tx.remove('virtualAccounts', 'v3');
        await tx.appendEvent(event(1, 'a1', null));
        await tx.putMeta('marker', 'written');
        await duplicate(tx);
      }),
    ).rejects.toThrow(/unique|duplicate/i);
    // Nothing of the failed transaction landed, and the store still works.
    await db.store.tx(async (tx) => {
      expect(await tx.get('smartAccounts', 'a5')).toBeUndefined();
      expect((await tx.get('virtualAccounts', 'v1'))?.description).toBe('');
      expect(await tx.get('virtualAccounts', 'v3')).toBeDefined();
      expect(await tx.events({ limit: 10 })).toEqual([]);
      expect(await tx.getMeta('marker')).toBeUndefined();
      expect((await tx.list('productInstances')).map((p) => p.id)).toEqual(['p1']);
      await tx.putMeta('after', 'ok');
    });
    expect(await db.store.tx((tx) => tx.getMeta('after'))).toBe('ok');
  });

  it('a transaction whose work throws rolls back and rethrows the same error', async () => {
    await seed();
    const boom = new Error('boom');
    await expect(
      db.store.tx(async (tx) => {
        await tx.put('smartAccounts', account('a7', 'seven.example'));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await db.store.tx((tx) => tx.get('smartAccounts', 'a7'))).toBeUndefined();
  });

  it('transactions started together each commit or roll back alone (SQLite runs them as one group commit)', async () => {
    await seed();
    const boom = new Error('boom');
    const results = await Promise.allSettled([
      db.store.tx((tx) => tx.put('smartAccounts', account('g1', 'g1.example'))),
      db.store.tx(async (tx) => {
        await tx.put('smartAccounts', account('g2', 'g2.example'));
        throw boom;
      }),
      db.store.tx(async (tx) => {
        await tx.put('smartAccounts', account('g3', 'g1.example'));
      }),
      db.store.tx(async (tx) => (await tx.get('smartAccounts', 'g1'))?.domain),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(results[1]).toMatchObject({ reason: boom });
    expect(results[2]).toMatchObject({
      reason: expect.objectContaining({ message: expect.stringMatching(/unique|duplicate/i) }),
    });
    // A later unit sees what an earlier one of its group wrote.
    expect(results[3]).toMatchObject({ value: 'g1.example' });
    const ids = (await db.store.tx((tx) => tx.list('smartAccounts'))).map((a) => a.id);
    expect(ids).toContain('g1');
    expect(ids).not.toContain('g2');
    expect(ids).not.toContain('g3');
  });

  it('appends events with increasing seq and filters them by account, VA, afterSeq and limit', async () => {
    await seed();
    const appended = await db.store.tx(async (tx) => [
      await tx.appendEvent(event(1, 'a1', 'v1')),
      await tx.appendEvent(event(2, 'a1', 'v2')),
      await tx.appendEvent(event(3, 'a2', 'v3')),
      await tx.appendEvent(event(4, null, null)),
      await tx.appendEvent(event(5, 'a1', 'v1')),
    ]);
    const seqs = appended.map((e) => e.seq);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    expect(appended[0]).toEqual({ seq: seqs[0], ...event(1, 'a1', 'v1') });
    await db.store.tx(async (tx) => {
      const all = await tx.events({ limit: 100 });
      expect(all).toEqual(appended);
      expect(typeof all[0]!.seq).toBe('number');
      expect(typeof all[0]!.at).toBe('number');
      expect(all[3]).toMatchObject({ accountId: null, vaId: null, data: { n: 4, nested: { list: [4, 'x'] } } });
      expect((await tx.events({ accountId: 'a1', limit: 100 })).map((e) => e.kind)).toEqual([
        'test.1',
        'test.2',
        'test.5',
      ]);
      expect((await tx.events({ vaId: 'v1', limit: 100 })).map((e) => e.kind)).toEqual(['test.1', 'test.5']);
      expect((await tx.events({ accountId: 'a1', vaId: 'v2', limit: 100 })).map((e) => e.kind)).toEqual(['test.2']);
      expect((await tx.events({ afterSeq: seqs[1]!, limit: 100 })).map((e) => e.kind)).toEqual([
        'test.3',
        'test.4',
        'test.5',
      ]);
      expect((await tx.events({ afterSeq: seqs[0]!, limit: 2 })).map((e) => e.kind)).toEqual(['test.2', 'test.3']);
      expect(await tx.events({ afterSeq: seqs[4]!, limit: 100 })).toEqual([]);
    });
  });

  it('meta: get of a missing key is undefined, put inserts then overwrites', async () => {
    await db.store.tx(async (tx) => {
      expect(await tx.getMeta('k')).toBeUndefined();
      await tx.putMeta('k', 'one');
    });
    await db.store.tx((tx) => tx.putMeta('k', 'two'));
    expect(await db.store.tx((tx) => tx.getMeta('k'))).toBe('two');
  });

  it('claimNonce: once per id while unexpired, again once expired; a rollback keeps nothing; purges keep live ids', async () => {
    const claim = (id: string, expiresAt: number, now: number) =>
      db.store.tx((tx) => tx.claimNonce(id, expiresAt, now));
    expect(await claim('A', 10, 0)).toBe(true);
    expect(await claim('A', 15, 5)).toBe(false);
    expect(await claim('A', 10, 10)).toBe(false);
    expect(await claim('B', 100, 5)).toBe(true);
    await expect(
      db.store.tx(async (tx) => {
        expect(await tx.claimNonce('C', 100, 5)).toBe(true);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await claim('C', 100, 5)).toBe(true);
    expect(await claim('A', 30, 11)).toBe(true);
    // Enough claims at a later time to pass a purge: the expired A goes, the live B stays.
    await db.store.tx(async (tx) => {
      for (let i = 0; i < 300; i++) await tx.claimNonce(`filler-${i}`, 60, 50);
    });
    // At lab time 20 A (expiring 30) would still count as seen had the purge not removed it.
    expect(await claim('A', 70, 20)).toBe(true);
    expect(await claim('B', 100, 20)).toBe(false);
    expect(await claim('nul\u0000', 100, 40)).toBe(false);
  });

  it('truncate empties every table (events, PAKs and issued licenses too) but keeps meta', async () => {
    await seed();
    await db.store.tx(async (tx) => {
      await tx.put('productInstances', instance('p1', 'v1', 'FOC1', 'aa01'));
      await tx.appendEvent(event(1, 'a1', null));
      await tx.putMeta('ca', 'keep me');
      await tx.put('users', { id: 'u1', username: 'alice@one.example', passwordHash: null, roles: [], createdAt: 0 });
      await tx.put('apiClients', { id: 'c1', name: 'app', secretHash: 'x', userId: 'u1', createdAt: 0 });
      await tx.put('accessTokens', {
        id: 'h1',
        kind: 'access',
        clientId: 'c1',
        userId: 'u1',
        grant: 'client_credentials',
        issuedAt: 0,
        expiresAt: 1,
      });
    });
    await db.store.tx(async (tx) => {
      await tx.put('paks', { id: 'PAK00000001', accountId: 'a1', orderId: null, createdAt: 0, items: [] });
      const udi = { pid: 'CISCO2911/K9', sn: 'FTX1' };
      const license = {
        id: '00000000000000aa',
        accountId: 'a1',
        udi,
        udiKey: 'PID:CISCO2911/K9,SN:FTX1',
        pakId: 'PAK00000001',
        sku: null,
        feature: 'securityk9',
        type: 'permanent' as const,
        count: null,
        line: 'LIC …',
        issuedAt: 0,
        status: 'ACTIVE' as const,
        statusAt: null,
        movedTo: null,
      };
      await tx.put('portalLicenses', license);
      await tx.put('permissionTickets', {
        id: '00000000000000bb',
        accountId: 'a1',
        udi,
        udiKey: license.udiKey,
        licenseIds: [license.id],
        secret: 's',
        grace: [],
        createdAt: 0,
        usedAt: null,
        targetUdiKey: null,
      });
      expect((await tx.list('portalLicenses', { pak_id: 'PAK00000001' })).map((l) => l.id)).toEqual([license.id]);
    });
    await db.store.truncate();
    await db.store.tx(async (tx) => {
      expect(await tx.list('paks')).toEqual([]);
      expect(await tx.list('portalLicenses')).toEqual([]);
      expect(await tx.list('permissionTickets')).toEqual([]);
      expect(await tx.list('smartAccounts')).toEqual([]);
      expect(await tx.list('virtualAccounts')).toEqual([]);
      expect(await tx.list('productInstances')).toEqual([]);
      expect(await tx.events({ limit: 10 })).toEqual([]);
      expect(await tx.list('users')).toEqual([]);
      expect(await tx.list('apiClients')).toEqual([]);
      expect(await tx.list('accessTokens')).toEqual([]);
      expect(await tx.getMeta('ca')).toBe('keep me');
      // Writable again, including the unique values that existed before.
      await tx.put('smartAccounts', account('a1', 'one.example'));
    });
  });

  it('U+0000 (which PostgreSQL text cannot hold): lookups find nothing, records with it are refused, event text has it replaced', async () => {
    await db.store.tx(async (tx) => {
      expect(await tx.get('smartAccounts', 'a\u0000')).toBeUndefined();
      expect(await tx.findOne('smartAccounts', { domain: 'x\u0000.example' })).toBeUndefined();
      expect(await tx.list('virtualAccounts', { account_id: '\u0000' })).toEqual([]);
      await expect(tx.put('smartAccounts', { ...account('a1', 'one.example'), name: 'A\u0000' })).rejects.toThrow(
        StoreValueError,
      );
      await tx.appendEvent({ ...event(1, null, null), message: 'asked for a\u0000b' });
    });
    expect((await db.store.tx((tx) => tx.events({ limit: 10 })))[0]!.message).toBe('asked for a\ufffdb');
  });

  it('event seq keeps increasing across truncate, so a poller reading afterSeq misses nothing after a lab reset', async () => {
    const before = await db.store.tx((tx) => tx.appendEvent(event(1, null, null)));
    await db.store.truncate();
    const after = await db.store.tx((tx) => tx.appendEvent(event(2, null, null)));
    expect(after.seq).toBeGreaterThan(before.seq);
  });

  it('serialises concurrent transactions: 50 read-modify-write increments lose no update', async () => {
    const runs = Array.from({ length: 50 }, (_, i) =>
      db.store.tx(async (tx) => {
        const value = Number((await tx.getMeta('counter')) ?? '0');
        await new Promise((resolve) => setImmediate(resolve));
        await tx.putMeta('counter', String(value + 1));
        return i;
      }),
    );
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await db.store.tx((tx) => tx.getMeta('counter'))).toBe('50');
  });

  it('reopening keeps the data and does not apply the migrations again', async () => {
    await seed();
    await db.store.tx((tx) => tx.putMeta('k', 'v'));
    await db.reopen();
    await db.reopen();
    await db.store.tx(async (tx) => {
      expect((await tx.list('virtualAccounts')).map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
      expect(await tx.getMeta('k')).toBe('v');
    });
    const rows = await db.query('SELECT version FROM schema_migrations');
    expect(rows.map((r) => Number(r.version))).toEqual(migrations.map((m) => m.version));
  });
});

describe('SqliteStore', () => {
  it('uses WAL journal mode on a file', async () => {
    const db = await openTestStore('sqlite');
    try {
      expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await db.cleanup();
    }
  });

  it('opening a path in a non-writable location is a StoreError naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-store-'));
    try {
      // A regular file where a directory should be: not writable even for root.
      await writeFile(join(dir, 'file'), '');
      const path = join(dir, 'file', 'sub', 'cloud.db');
      let err: unknown;
      try {
        SqliteStore.open({ path });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).message).toContain(`cannot open SQLite database ${path}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgresStore', () => {
  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema: 'x; DROP TABLE y' }),
    ).rejects.toThrow(StoreError);
  });

  it('an unreachable server is a StoreError naming where, without the password', async () => {
    const err = await PostgresStore.open({ connectionString: 'postgres://lab:s3cret@127.0.0.1:1/nowhere' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).message).toContain('cannot open postgres 127.0.0.1:1/nowhere');
    expect((err as StoreError).message).not.toContain('s3cret');
  });
});
