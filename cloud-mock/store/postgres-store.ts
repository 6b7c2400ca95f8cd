/**
 * PostgreSQL store through `pg`, chosen when DATABASE_URL=postgres://… is set. Transactions are
 * serialised like SQLite's (in-process mutex, plus a transaction-scoped advisory lock so several cloud
 * processes on one database cannot interleave read-modify-write of pool counters).
 */
import pg from 'pg';
import { Mutex } from './mutex.ts';
import { migrations } from './schema.ts';
import { createSqlTx, truncateOrder, type SqlExecutor } from './sql-tx.ts';
import { StoreError, type Store, type Tx } from './store.ts';

export interface PostgresOptions {
  connectionString: string;
  /** A schema to keep the lab's tables in (created if missing); tests use one per suite. */
  schema?: string;
}

const LOCK_KEY = 0x4c61624c; // "LabL"

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly mutex = new Mutex();

  private constructor(pool: pg.Pool, location: string) {
    this.pool = pool;
    this.location = location;
  }

  static async open(options: PostgresOptions): Promise<PostgresStore> {
    const url = new URL(options.connectionString);
    const location = `postgres ${url.hostname}:${url.port || 5432}${url.pathname}${options.schema ? ` schema ${options.schema}` : ''}`;
    if (options.schema && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
      throw new StoreError(`invalid PostgreSQL schema name "${options.schema}": use lower-case letters, digits and _`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the cloud; the next query reports it.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, location);
    try {
      if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new StoreError(`cannot open ${location}: ${(err as Error).message}`);
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
        await client.query(
          `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
        );
        const { rows } = await client.query(`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`);
        for (const m of migrations.filter((m) => m.version > Number(rows[0].v))) {
          for (const sql of m.sql('postgres')) await client.query(sql);
          await client.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new StoreError(`cannot reach ${this.location}: ${(err as Error).message}`);
    }
    try {
      return await work(client);
    } finally {
      client.release();
    }
  }

  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.mutex.run(() =>
      this.withClient(async (client) => {
        const exec: SqlExecutor = {
          all: async (sql, params) => (await client.query(sql, params)).rows,
          run: async (sql, params) => (await client.query(sql, params)).rowCount ?? 0,
        };
        await client.query('BEGIN');
        try {
          await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
          const result = await work(createSqlTx('postgres', exec));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    );
  }

  truncate(): Promise<void> {
    return this.mutex.run(() =>
      this.withClient(async (client) => {
        // Event numbers keep rising across a reset, so `GET /lab/events?after=N` pollers miss nothing.
        await client.query(`TRUNCATE ${truncateOrder.join(', ')}`);
      }),
    );
  }

  async close(): Promise<void> {
    await this.mutex.run(() => this.pool.end());
  }
}
