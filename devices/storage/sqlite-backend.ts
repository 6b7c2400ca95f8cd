/**
 * All records in one SQLite table (node:sqlite, built into Node 24), for fleets of 10,000-100,000 devices
 * where a file per device costs an fsync and an inode each. WAL with synchronous=NORMAL: a committed write
 * is in the WAL before `write` returns, so SIGKILL loses nothing acknowledged (only a power cut may lose
 * the last commits). Each `write` is its own commit; `transaction(fn)` makes all writes inside `fn` one
 * commit, all or nothing, which is how a fleet saves many devices at once.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { StorageBackend } from './storage-backend.ts';
import { reason, StorageError } from './storage-error.ts';
import { assertStorageKey } from './storage-key.ts';

interface Statements {
  read: StatementSync;
  write: StatementSync;
  delete: StatementSync;
  keys: StatementSync;
}

/**
 * Switches the file to WAL. Two connections switching at once can get SQLITE_BUSY without the busy
 * handler being asked (seen: shards of a lab starting together, "database is locked"), so it retries,
 * waiting on the thread itself: the constructor is synchronous and no timer may be armed here.
 */
function toWal(db: DatabaseSync): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.exec('PRAGMA journal_mode = WAL;');
      return;
    } catch (err) {
      if (attempt >= 40 || !/locked|busy/i.test((err as Error).message)) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    }
  }
}

export class SqliteBackend implements StorageBackend {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly statements: Statements;
  private closed = false;

  /** `path` is a file (its directory is created) or ':memory:'. */
  constructor(path: string) {
    this.path = path === ':memory:' ? path : resolve(path);
    try {
      if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
      this.db = new DatabaseSync(this.path);
      // busy_timeout first: fleet shards open one file at once, and switching it to WAL takes a lock.
      this.db.exec('PRAGMA busy_timeout = 5000;');
      toWal(this.db);
      this.db.exec(`PRAGMA synchronous = NORMAL;
                    CREATE TABLE IF NOT EXISTS device_records (key TEXT PRIMARY KEY, bytes BLOB NOT NULL);`);
      this.statements = {
        read: this.db.prepare('SELECT bytes FROM device_records WHERE key = ?'),
        write: this.db.prepare(
          'INSERT INTO device_records (key, bytes) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes',
        ),
        delete: this.db.prepare('DELETE FROM device_records WHERE key = ?'),
        keys: this.db.prepare('SELECT key FROM device_records ORDER BY key'),
      };
    } catch (err) {
      throw new StorageError(`cannot open SQLite storage ${this.path}: ${reason(err)}`);
    }
  }

  read(key: string): Buffer | undefined {
    const row = this.run('read', key, () => this.statements.read.get(key)) as { bytes: Uint8Array } | undefined;
    return row && Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  }

  write(key: string, bytes: Buffer): void {
    this.run('write', key, () => this.statements.write.run(key, bytes));
  }

  delete(key: string): void {
    this.run('delete', key, () => this.statements.delete.run(key));
  }

  keys(): string[] {
    return this.run('list', undefined, () => this.statements.keys.all() as { key: string }[]).map((row) => row.key);
  }

  /** Runs `fn` in one commit; if it throws, none of its writes stay. Nested calls join the outer one. */
  transaction<T>(fn: () => T): T {
    this.open();
    if (this.db.isTransaction) return fn();
    this.run('begin a transaction in', undefined, () => this.db.exec('BEGIN IMMEDIATE'));
    let result: T;
    try {
      result = fn();
    } catch (err) {
      // SQLite has already rolled back on some errors (SQLITE_FULL, I/O): only roll back what is still open.
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw new StorageError(`cannot commit to SQLite storage ${this.path}: ${reason(err)}`);
    }
    return result;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } catch (err) {
      throw new StorageError(`cannot close SQLite storage ${this.path}: ${reason(err)}`);
    }
  }

  private open(): void {
    if (this.closed) throw new StorageError(`SQLite storage ${this.path} is closed`);
  }

  private run<T>(action: string, key: string | undefined, fn: () => T): T {
    this.open();
    if (key !== undefined) assertStorageKey(key);
    try {
      return fn();
    } catch (err) {
      throw new StorageError(
        `cannot ${action} SQLite storage ${this.path}${key === undefined ? '' : ` (key ${key})`}: ${reason(err)}`,
      );
    }
  }
}
