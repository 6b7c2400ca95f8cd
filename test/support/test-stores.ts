/**
 * A fresh store of each kind for the suites that run on both: a real SQLite file in WAL mode, or a
 * throw-away PostgreSQL schema. PostgreSQL is not optional: if TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) cannot be reached, the postgres suites fail saying so.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { PostgresStore, SqliteStore, type Store } from '#cloud';

export const storeKinds = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof storeKinds)[number];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Where every test clock starts: 2026-01-01T00:00:00Z (whole seconds, like the lab's DEFAULT_START). */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

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
