/**
 * Embedded default store: Node's built-in node:sqlite (no native build on install). WAL with
 * synchronous=NORMAL: a committed transaction is in the WAL file before tx() resolves, so killing the
 * process (even SIGKILL) loses nothing acknowledged; only an OS crash or power cut could lose the last
 * commits, which synchronous=FULL (`durability: 'full'`) also covers at ~8x less write throughput.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Mutex } from './mutex.ts';
import { migrations } from './schema.ts';
import { createSqlTx, truncateOrder, type Row, type SqlExecutor } from './sql-tx.ts';
import { StoreError, type Store, type Tx } from './store.ts';

export interface SqliteOptions {
  /** File path, or ':memory:' for tests. */
  path: string;
  durability?: 'normal' | 'full';
}

type SqlValue = null | number | bigint | string | Uint8Array;

interface QueuedTx {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly location: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly mutex = new Mutex();
  private queued: QueuedTx[] = [];
  private readonly sqlTx: Tx;

  private constructor(db: DatabaseSync, location: string) {
    this.db = db;
    this.location = location;
    const exec: SqlExecutor = {
      all: async (sql, params) => this.statement(sql).all(...(params as SqlValue[])) as Row[],
      run: async (sql, params) => Number(this.statement(sql).run(...(params as SqlValue[])).changes),
    };
    this.sqlTx = createSqlTx('sqlite', exec);
  }

  static open(options: SqliteOptions): SqliteStore {
    const memory = options.path === ':memory:';
    const file = memory ? options.path : resolve(options.path);
    let db: DatabaseSync;
    try {
      if (!memory) mkdirSync(dirname(file), { recursive: true });
      db = new DatabaseSync(file);
      // The default 2 MiB page cache and 1,000-page (4 MiB) checkpoints made a commit cost grow with the
      // database: past a few thousand product instances most commits read evicted pages back and every
      // ~100th one wrote and fsynced a checkpoint (registration 1.8 ms, authorization 1.1 ms at 3,000
      // devices). 32 MiB and 10,000 pages (a WAL of up to ~40 MiB) keep them flat. Checkpoints move
      // committed frames into the database file; durability is the WAL's, unchanged.
      db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'};
               PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 10000;`);
    } catch (err) {
      throw new StoreError(`cannot open SQLite database ${file}: ${(err as Error).message}`);
    }
    const store = new SqliteStore(db, `sqlite ${file}`);
    store.migrate();
    return store;
  }

  private statement(sql: string): StatementSync {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.db.prepare(sql)));
    return st;
  }

  private migrate(): void {
    try {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      );
      const row = this.db.prepare(`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`).get() as {
        v: number;
      };
      for (const m of migrations.filter((m) => m.version > row.v)) {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          for (const sql of m.sql('sqlite')) this.db.exec(sql);
          // applied_at is bookkeeping for operators, not lab state: SQLite's own clock is fine here.
          this.db
            .prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, datetime('now'))`)
            .run(m.version, m.name);
          this.db.exec('COMMIT');
        } catch (err) {
          this.db.exec('ROLLBACK');
          throw err;
        }
      }
    } catch (err) {
      this.db.close();
      throw new StoreError(`cannot migrate ${this.location}: ${(err as Error).message}`);
    }
  }

  /**
   * Group commit: the transactions that queue while one batch runs form the next batch, one SQLite
   * transaction with a savepoint per unit of work, so a failed unit rolls back alone and a BEGIN/COMMIT
   * is paid once per batch. Every promise still resolves only after its batch's COMMIT.
   */
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queued.length === 1) void this.mutex.run(() => this.runBatch());
    });
  }

  private async runBatch(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    const done: [QueuedTx, unknown][] = [];
    const fail = (err: unknown) => {
      for (const [unit] of done.splice(0)) unit.reject(err);
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
    };
    for (const unit of batch) {
      try {
        if (!this.db.isTransaction) this.db.exec('BEGIN IMMEDIATE');
        this.db.exec('SAVEPOINT unit');
      } catch (err) {
        fail(err);
        unit.reject(err);
        continue;
      }
      try {
        const result = await unit.work(this.sqlTx);
        this.db.exec('RELEASE unit');
        done.push([unit, result]);
      } catch (err) {
        unit.reject(err);
        // A failed statement can end the whole transaction (SQLITE_FULL, I/O errors), and so can a failed
        // ROLLBACK TO: then the units before fail too, rather than being committed or left waiting.
        try {
          if (this.db.isTransaction) {
            this.db.exec('ROLLBACK TO unit; RELEASE unit');
            continue;
          }
        } catch {
          // fail() below rolls back and rejects with the unit's own error.
        }
        fail(err);
      }
    }
    try {
      if (this.db.isTransaction) this.db.exec('COMMIT');
    } catch (err) {
      fail(err);
    }
    for (const [unit, result] of done) unit.resolve(result);
  }

  truncate(): Promise<void> {
    return this.mutex.run(async () => {
      this.db.exec(`BEGIN IMMEDIATE; ${truncateOrder.map((t) => `DELETE FROM ${t};`).join(' ')} COMMIT;`);
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.db.isOpen) this.db.close();
    });
  }
}
