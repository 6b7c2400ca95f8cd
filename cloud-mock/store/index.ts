export * from './records.ts';
export * from './store.ts';
export { openStore, DEFAULT_DB_PATH } from './open-store.ts';
export { SqliteStore } from './sqlite-store.ts';
export { PostgresStore } from './postgres-store.ts';
