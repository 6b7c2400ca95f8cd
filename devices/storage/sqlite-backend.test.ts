import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBackend } from './sqlite-backend.ts';
import { decodeRecord, encodeRecord } from './storage-codec.ts';
import { StorageError } from './storage-error.ts';

let root: string;
let path: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sqlite-backend-'));
  path = join(root, 'devices.db');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const record = (n: number) =>
  encodeRecord({ kind: 'smart', version: 1, savedAt: n, payload: { n, pad: 'x'.repeat(n % 50) } });
const serial = (n: number) => `FOC2041X${String(n).padStart(4, '0')}`;

/** A second connection, as an operator's sqlite3 shell would be. */
function withDb<T>(fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('SqliteBackend', () => {
  it('keeps every record across close and reopen, in WAL mode', () => {
    const first = new SqliteBackend(path);
    first.transaction(() => {
      for (let n = 0; n < 1_000; n++) first.write(serial(n), record(n));
    });
    first.write(serial(7), record(7_000));
    first.close();
    const again = new SqliteBackend(path);
    expect(again.keys()).toHaveLength(1_000);
    for (let n = 0; n < 1_000; n++) {
      expect(decodeRecord(again.read(serial(n)), { kind: 'smart', maxVersion: 1 })).toMatchObject({
        ok: true,
        record: { savedAt: n === 7 ? 7_000 : n },
      });
    }
    again.close();
    expect(withDb((db) => db.prepare('PRAGMA journal_mode').get())).toEqual({ journal_mode: 'wal' });
  });

  it('works in memory', () => {
    const backend = new SqliteBackend(':memory:');
    backend.write('k', record(1));
    expect(backend.read('k')).toEqual(record(1));
    expect(backend.path).toBe(':memory:');
  });

  it('commits a transaction as one, returns its value, and joins nested transactions to the outer one', () => {
    const backend = new SqliteBackend(path);
    const value = backend.transaction(() => {
      backend.write('a', record(1));
      backend.transaction(() => backend.write('b', record(2)));
      // Not visible to other connections before the commit.
      expect(withDb((db) => db.prepare('SELECT count(*) AS n FROM device_records').get())).toEqual({ n: 0 });
      return 42;
    });
    expect(value).toBe(42);
    expect(withDb((db) => db.prepare('SELECT count(*) AS n FROM device_records').get())).toEqual({ n: 2 });
  });

  it("keeps none of a transaction's writes when its function throws, and rethrows the error", () => {
    const backend = new SqliteBackend(path);
    backend.write('kept', record(1));
    const boom = new Error('device failed mid-save');
    expect(() =>
      backend.transaction(() => {
        backend.write('kept', record(2));
        backend.write('lost', record(3));
        throw boom;
      }),
    ).toThrow(boom);
    expect(backend.keys()).toEqual(['kept']);
    expect(backend.read('kept')).toEqual(record(1));
    backend.write('after', record(4));
    expect(backend.keys()).toEqual(['after', 'kept']);
  });

  it('turns SQLite errors into one-line StorageErrors naming the path and key, also inside a transaction', () => {
    const backend = new SqliteBackend(path);
    backend.write('kept', record(1));
    // A trigger from another connection stands in for the disk refusing: same error path as SQLITE_FULL.
    withDb((db) =>
      db.exec(
        `CREATE TRIGGER full BEFORE INSERT ON device_records BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
      ),
    );
    expect(() => backend.write('k', record(2))).toThrow(
      new StorageError(`cannot write SQLite storage ${path} (key k): database or disk is full`),
    );
    // RAISE(ROLLBACK) ends the transaction inside SQLite, as SQLITE_FULL and I/O errors do.
    withDb((db) =>
      db.exec(
        `DROP TRIGGER full; CREATE TRIGGER full BEFORE INSERT ON device_records BEGIN SELECT RAISE(ROLLBACK, 'database or disk is full'); END`,
      ),
    );
    expect(() =>
      backend.transaction(() => {
        backend.delete('kept');
        backend.write('k', record(2));
      }),
    ).toThrow(new StorageError(`cannot write SQLite storage ${path} (key k): database or disk is full`));
    expect(backend.keys()).toEqual(['kept']);
  });

  it('refuses to open what is not a database, or a path it cannot create, naming the path', () => {
    writeFileSync(path, 'not a database, but long enough to have a header. '.repeat(4));
    expect(() => new SqliteBackend(path)).toThrow(
      new StorageError(`cannot open SQLite storage ${path}: file is not a database`),
    );
    const under = join(path, 'devices.db');
    expect(() => new SqliteBackend(under)).toThrow(
      new RegExp(`^cannot open SQLite storage ${under}: (ENOTDIR|EEXIST)`),
    );
  });
});
