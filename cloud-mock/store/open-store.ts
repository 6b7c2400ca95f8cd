/** Picks the store from a --db value or DATABASE_URL: postgres://… → PostgreSQL, anything else → a SQLite file. */
import { PostgresStore } from './postgres-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

export const DEFAULT_DB_PATH = './.lab/cloud.db';

export async function openStore(target: string | undefined = process.env.DATABASE_URL): Promise<Store> {
  const where = target && target.length > 0 ? target : DEFAULT_DB_PATH;
  if (/^postgres(ql)?:\/\//i.test(where)) return PostgresStore.open({ connectionString: where });
  return SqliteStore.open({ path: where });
}
