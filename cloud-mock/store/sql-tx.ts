/** The Tx of both stores, written once over a minimal SQL executor; only placeholders and JSON differ. */
import type { CloudEvent, NewCloudEvent, TableKey, Tables } from './records.ts';
import { tables, type Dialect } from './schema.ts';
import { StoreValueError, type EventQuery, type Tx, type Where } from './store.ts';

export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all(sql: string, params: unknown[]): Promise<Row[]>;
  run(sql: string, params: unknown[]): Promise<number>;
}

/** `?` for SQLite, `$n` for PostgreSQL. */
function placeholders(dialect: Dialect, sql: string): string {
  if (dialect === 'sqlite') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** PostgreSQL JSONB comes back parsed; SQLite TEXT comes back as a string. */
function parseDoc<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const sqlCache = new Map<string, string>();

/**
 * PostgreSQL cannot hold U+0000 in text or JSONB, so no stored value contains it: a lookup for one finds
 * nothing (on both stores, without asking the database), a record with one is refused, and an event's
 * text has it replaced (events are a log of what was asked, and must always land).
 */
const hasNul = (values: unknown[]) => values.some((v) => typeof v === 'string' && v.includes('\u0000'));
/** How JSON.stringify writes U+0000. */
const JSON_NUL = '\\u0000';
/** Expired nonces are deleted once per this many claims: the table stays about one timestamp window long. */
const NONCE_PURGE_EVERY = 256;
let noncesClaimed = 0;

export function createSqlTx(dialect: Dialect, db: SqlExecutor): Tx {
  const q = (sql: string) => {
    const key = dialect + sql;
    let out = sqlCache.get(key);
    if (out === undefined) sqlCache.set(key, (out = placeholders(dialect, sql)));
    return out;
  };
  const putStatements = new Map<TableKey, { cols: string[]; docOnly: string; upsert: string }>();
  const putSql = (table: TableKey) => {
    let out = putStatements.get(table);
    if (!out) {
      const { name, columns } = tables[table];
      const cols = Object.keys(columns);
      const names = ['id', ...cols, 'doc'];
      out = {
        cols,
        docOnly: `UPDATE ${name} SET doc = ? WHERE id = ?${cols.map((c) => ` AND ${c} IS ?`).join('')}`,
        upsert: q(`INSERT INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})
        ON CONFLICT (id) DO UPDATE SET ${names
          .slice(1)
          .map((n) => `${n} = excluded.${n}`)
          .join(', ')}`),
      };
      putStatements.set(table, out);
    }
    return out;
  };
  const whereClause = <K extends TableKey>(where: Where<K> | undefined): [string, string[]] => {
    const entries = Object.entries(where ?? {}).filter(([, v]) => v !== undefined) as [string, string][];
    if (entries.length === 0) return ['', []];
    return [` WHERE ${entries.map(([c]) => `${c} = ?`).join(' AND ')}`, entries.map(([, v]) => v)];
  };

  return {
    async get(table, id) {
      if (hasNul([id])) return undefined;
      const rows = await db.all(q(`SELECT doc FROM ${tables[table].name} WHERE id = ?`), [id]);
      return rows[0] ? parseDoc(rows[0].doc) : undefined;
    },
    async findOne(table, where) {
      const [clause, params] = whereClause(where);
      if (hasNul(params)) return undefined;
      const rows = await db.all(q(`SELECT doc FROM ${tables[table].name}${clause} LIMIT 1`), params);
      return rows[0] ? parseDoc(rows[0].doc) : undefined;
    },
    async list(table, where) {
      const [clause, params] = whereClause(where);
      if (hasNul(params)) return [];
      // Byte order on both stores, whatever the PostgreSQL database's collation.
      const rows = await db.all(
        q(`SELECT doc FROM ${tables[table].name}${clause} ORDER BY id${dialect === 'postgres' ? ' COLLATE "C"' : ''}`),
        params,
      );
      return rows.map((r) => parseDoc(r.doc));
    },
    async put<K extends TableKey>(table: K, record: Tables[K]) {
      const def = tables[table];
      const { cols, docOnly, upsert } = putSql(table);
      const values = [record.id, ...cols.map((c) => def.columns[c]!(record)), JSON.stringify(record)];
      if (hasNul(values) || (values.at(-1) as string).includes(JSON_NUL))
        throw new StoreValueError('text may not contain the NUL character (U+0000)');
      // SQLite rewrites the entry of every index whose column an upsert SETs, changed or not (4 pages per
      // product-instance write instead of 1); most writes change only the doc, so try that first.
      // PostgreSQL skips unchanged index entries itself (HOT updates) and would pay a round trip.
      if (dialect === 'sqlite' && (await db.run(docOnly, [values.at(-1), ...values.slice(0, -1)])) > 0) return;
      await db.run(upsert, values);
    },
    async remove(table, id) {
      return (await db.run(q(`DELETE FROM ${tables[table].name} WHERE id = ?`), [id])) > 0;
    },
    async appendEvent(event: NewCloudEvent): Promise<CloudEvent> {
      const { at, accountId, vaId, kind, ...rest } = event;
      const rows = await db.all(
        q(`INSERT INTO events (at, account_id, va_id, kind, doc) VALUES (?, ?, ?, ?, ?) RETURNING seq`),
        [at, accountId, vaId, kind, JSON.stringify(rest).replaceAll(JSON_NUL, '\\ufffd')],
      );
      return { seq: Number(rows[0]!.seq), ...event };
    },
    async events(query: EventQuery) {
      const conds = ['seq > ?'];
      const params: unknown[] = [query.afterSeq ?? 0];
      if (query.accountId) {
        conds.push('account_id = ?');
        params.push(query.accountId);
      }
      if (query.vaId) {
        conds.push('va_id = ?');
        params.push(query.vaId);
      }
      params.push(query.limit);
      const rows = await db.all(
        q(`SELECT seq, at, account_id, va_id, kind, doc FROM events WHERE ${conds.join(' AND ')} ORDER BY seq LIMIT ?`),
        params,
      );
      return rows.map((r) => {
        const rest = parseDoc<Pick<CloudEvent, 'actor' | 'message' | 'data'>>(r.doc);
        return {
          seq: Number(r.seq),
          at: Number(r.at),
          accountId: (r.account_id as string | null) ?? null,
          vaId: (r.va_id as string | null) ?? null,
          kind: r.kind as string,
          ...rest,
        };
      });
    },
    async claimNonce(id, expiresAt, now) {
      if (hasNul([id])) return false;
      if (++noncesClaimed % NONCE_PURGE_EVERY === 0)
        await db.run(q(`DELETE FROM request_nonces WHERE expires_at < ?`), [now]);
      const claimed = await db.run(
        q(`INSERT INTO request_nonces (id, expires_at) VALUES (?, ?)
        ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE request_nonces.expires_at < ?`),
        [id, expiresAt, now],
      );
      return claimed > 0;
    },
    async getMeta(key) {
      const rows = await db.all(q(`SELECT value FROM meta WHERE key = ?`), [key]);
      return rows[0] ? String(rows[0].value) : undefined;
    },
    async putMeta(key, value) {
      await db.run(
        q(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
        [key, value],
      );
    },
  };
}

/** Tables in delete order (children first) for truncate. */
export const truncateOrder = [
  'reservations',
  'slp_polls',
  'rum_reports',
  'permission_tickets',
  'portal_licenses',
  'paks',
  'request_nonces',
  'access_tokens',
  'api_clients',
  'users',
  'events',
  'product_instances',
  'license_pools',
  'registration_tokens',
  'virtual_accounts',
  'smart_accounts',
];
