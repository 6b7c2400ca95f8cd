/**
 * Test fixtures shared by the store and domain suites: a fresh store of each kind (a real SQLite file
 * in WAL mode, or a throw-away PostgreSQL schema), a manual clock, and a CloudService over both.
 * PostgreSQL is not optional: if TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * cannot be reached, the postgres suites fail with a message saying so.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Clock, ErrorCode, RegisterResponse, TimerId, Udi } from '#protocol';
import { createSmartAccount, requireVirtualAccount } from '../domain/accounts.ts';
import { CloudService } from '../domain/cloud-service.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { CloudPolicy } from '../domain/policy.ts';
import { registerInstance } from '../domain/product-instances.ts';
import { createToken, type NewToken } from '../domain/tokens.ts';
import { PostgresStore } from './postgres-store.ts';
import type { RegistrationToken, SmartAccount, VirtualAccount } from './records.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

export const storeKinds = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof storeKinds)[number];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Where every test clock starts: 2026-01-01T00:00:00Z (whole seconds, like the lab's DEFAULT_START). */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

// ---------------------------------------------------------------------------------------------- clock

/** A Clock that only moves when a test says so. */
export interface TestClock extends Clock {
  t: number;
  /** Moves time forward and runs the timers that fell due, in due order. */
  advance(ms: number): void;
}

export function createTestClock(start: number = T0): TestClock {
  let nextId = 1;
  const timers = new Map<TimerId, { due: number; fn: () => void }>();
  return {
    t: start,
    now() {
      return this.t;
    },
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { due: this.t + (Number.isFinite(ms) && ms > 0 ? ms : 0), fn });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    track(work) {
      return work;
    },
    advance(ms) {
      const target = this.t + ms;
      for (;;) {
        const next = [...timers]
          .filter(([, tm]) => tm.due <= target)
          .sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
        if (!next) break;
        timers.delete(next[0]);
        this.t = Math.max(this.t, next[1].due);
        next[1].fn();
      }
      this.t = target;
    },
  };
}

// ---------------------------------------------------------------------------------------------- stores

export interface TestStore {
  readonly kind: StoreKind;
  /** The open store; replaced by reopen(). */
  store: Store;
  /** Closes the store and opens the same SQLite file / PostgreSQL schema again. */
  reopen(): Promise<Store>;
  /** Raw SQL against the same database, outside the store (to look at schema_migrations and the like). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

/** The test database URL for messages: the password, if any, replaced. */
function shownUrl(): string {
  const url = new URL(TEST_DATABASE_URL);
  if (url.password) url.password = '***';
  return url.toString();
}

async function openPostgres(schema: string): Promise<PostgresStore> {
  try {
    return await PostgresStore.open({ connectionString: TEST_DATABASE_URL, schema });
  } catch (err) {
    throw new Error(
      `[test] PostgreSQL test database unreachable or unusable at ${shownUrl()} (set TEST_DATABASE_URL; the postgres suites must run): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

async function withPgClient<T>(schema: string | undefined, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'lab-store-'));
    const path = join(dir, 'cloud.db');
    const handle: TestStore = {
      kind,
      store: SqliteStore.open({ path }),
      async reopen() {
        await handle.store.close();
        handle.store = SqliteStore.open({ path });
        return handle.store;
      },
      async query(sql) {
        const db = new DatabaseSync(path, { readOnly: true });
        try {
          return db.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      },
      async cleanup() {
        await handle.store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return handle;
  }
  const schema = `lab_test_${randomBytes(6).toString('hex')}`;
  const handle: TestStore = {
    kind,
    store: await openPostgres(schema),
    async reopen() {
      await handle.store.close();
      handle.store = await openPostgres(schema);
      return handle.store;
    },
    query: (sql) => withPgClient(schema, async (client) => (await client.query(sql)).rows as Record<string, unknown>[]),
    async cleanup() {
      try {
        await withPgClient(undefined, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
      } finally {
        await handle.store.close();
      }
    },
  };
  return handle;
}

// ---------------------------------------------------------------------------------------------- cloud

export interface TestCloud {
  cloud: CloudService;
  clock: TestClock;
  db: TestStore;
  /** Closes the store, reopens it and opens a new CloudService over it (same clock and policy). */
  reopen(): Promise<CloudService>;
  cleanup(): Promise<void>;
}

export async function openTestCloud(kind: StoreKind, policy?: Partial<CloudPolicy>): Promise<TestCloud> {
  const clock = createTestClock();
  const db = await openTestStore(kind);
  const open = () => CloudService.open({ store: db.store, clock, ...(policy ? { policy } : {}) });
  let cloud: CloudService;
  try {
    cloud = await open();
  } catch (err) {
    await db.cleanup();
    throw err;
  }
  const handle: TestCloud = {
    cloud,
    clock,
    db,
    async reopen() {
      await db.reopen();
      handle.cloud = await open();
      return handle.cloud;
    },
    cleanup: () => db.cleanup(),
  };
  return handle;
}

/** Opens a fresh cloud before each test of the enclosing describe (then runs `setup` on it) and cleans it up after. */
export function eachTestCloud(kind: StoreKind, setup: (opened: TestCloud) => Promise<void> | void): void {
  let opened: TestCloud | undefined;
  beforeEach(async () => {
    opened = await openTestCloud(kind);
    await setup(opened);
  });
  afterEach(async () => {
    await opened?.cleanup();
  });
}

// ---------------------------------------------------------------------------------------------- domain helpers

/** A smart account and its DEFAULT virtual account. */
export async function setupAccount(
  cloud: CloudService,
  domain = 'example.com',
  name = 'Example Corp',
): Promise<{ account: SmartAccount; va: VirtualAccount }> {
  return cloud.run('test', async (tx, ctx) => {
    const account = await createSmartAccount(tx, ctx, { name, domain });
    return { account, va: await requireVirtualAccount(tx, account, 'DEFAULT') };
  });
}

export function newToken(
  cloud: CloudService,
  account: SmartAccount,
  va: VirtualAccount,
  input: NewToken = {},
): Promise<RegistrationToken> {
  return cloud.run('test', (tx, ctx) => createToken(tx, ctx, account, va, input));
}

export type KeyKind = 'p256' | 'p384' | 'p521' | 'rsa1024' | 'rsa2048' | 'ed25519';

export interface DeviceKey {
  privateKey: KeyObject;
  /** base64 SPKI DER, as a registration presents it. */
  publicKey: string;
}

export function newDeviceKey(kind: KeyKind = 'p256'): DeviceKey {
  const pair =
    kind === 'rsa1024' || kind === 'rsa2048'
      ? generateKeyPairSync('rsa', { modulusLength: kind === 'rsa1024' ? 1024 : 2048 })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'P-256' : kind === 'p384' ? 'P-384' : 'P-521' });
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export interface TestDevice extends DeviceKey {
  udi: Udi;
  response: RegisterResponse;
}

export async function registerDevice(
  cloud: CloudService,
  idToken: string,
  udi: Udi,
  opts: { force?: boolean; hostname?: string; key?: DeviceKey } = {},
): Promise<TestDevice> {
  const key = opts.key ?? newDeviceKey();
  const response = await cloud.run('test', (tx, ctx) =>
    registerInstance(tx, ctx, {
      idToken,
      udi,
      hostname: opts.hostname ?? `sw-${udi.sn.toLowerCase()}`,
      publicKey: key.publicKey,
      force: opts.force ?? false,
    }),
  );
  return { ...key, udi, response };
}

// ---------------------------------------------------------------------------------------------- assertions

function checkDomainError(err: unknown, code: ErrorCode, mentions: string[]): DomainError {
  expect(err, `expected DomainError ${code}`).toBeInstanceOf(DomainError);
  const e = err as DomainError;
  expect(e.code).toBe(code);
  for (const m of mentions) expect(e.message).toContain(m);
  return e;
}

/** Asserts the promise rejects with a DomainError of `code` whose message contains every `mentions`. */
export async function expectDomainError(
  work: Promise<unknown>,
  code: ErrorCode,
  ...mentions: string[]
): Promise<DomainError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return checkDomainError(err, code, mentions);
}

export function expectDomainErrorSync(work: () => unknown, code: ErrorCode, ...mentions: string[]): DomainError {
  let err: unknown;
  try {
    work();
  } catch (e) {
    err = e;
  }
  return checkDomainError(err, code, mentions);
}
