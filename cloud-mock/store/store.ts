/** The durable storage the domain runs over; SQLite (embedded default) and PostgreSQL implement it. */
import type { CloudEvent, NewCloudEvent, TableKey, Tables } from './records.ts';
import type { IndexColumn } from './schema.ts';

export type Where<K extends TableKey> = Partial<Record<IndexColumn<K>, string>>;

export interface EventQuery {
  accountId?: string;
  vaId?: string;
  afterSeq?: number;
  limit: number;
}

/** Reads and writes inside one transaction: all of them land, or none. */
export interface Tx {
  get<K extends TableKey>(table: K, id: string): Promise<Tables[K] | undefined>;
  findOne<K extends TableKey>(table: K, where: Where<K>): Promise<Tables[K] | undefined>;
  list<K extends TableKey>(table: K, where?: Where<K>): Promise<Tables[K][]>;
  /** Insert or replace by id. */
  put<K extends TableKey>(table: K, record: Tables[K]): Promise<void>;
  remove<K extends TableKey>(table: K, id: string): Promise<boolean>;
  appendEvent(event: NewCloudEvent): Promise<CloudEvent>;
  events(query: EventQuery): Promise<CloudEvent[]>;
  /**
   * Remembers `id` until `expiresAt`; false when it is already remembered and not yet expired at `now`
   * (replay protection). Expired ids are forgotten as later claims go by.
   */
  claimNonce(id: string, expiresAt: number, now: number): Promise<boolean>;
  getMeta(key: string): Promise<string | undefined>;
  putMeta(key: string, value: string): Promise<void>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** A human description for logs (`sqlite ./.lab/cloud.db`), never with credentials. */
  readonly location: string;
  /**
   * Runs `work` in one serialised read-write transaction and commits before resolving: a resolved
   * promise means the write is durable (survives SIGKILL of the process).
   */
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Deletes every record (lab reset); the schema and meta stay. */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown when the database cannot be reached or refuses a statement. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** A value no store can hold the same way: text with U+0000 (PostgreSQL text and JSONB refuse it). */
export class StoreValueError extends Error {
  override readonly name = 'StoreValueError';
}
