/**
 * One schema for both stores, as versioned migrations. Each table keeps the whole record as JSON in
 * `doc` plus the columns the domain looks records up by (unique constraints enforce what must be unique
 * even if the domain had a bug).
 */
import type { TableKey, Tables } from './records.ts';

export type Dialect = 'sqlite' | 'postgres';

interface TableDef<K extends TableKey> {
  name: string;
  /** Indexed column -> how to read it from the record. */
  columns: Record<string, (record: Tables[K]) => string | null>;
}

export const tables: { [K in TableKey]: TableDef<K> } = {
  smartAccounts: { name: 'smart_accounts', columns: { domain: (r) => r.domain } },
  virtualAccounts: { name: 'virtual_accounts', columns: { account_id: (r) => r.accountId, name: (r) => r.name } },
  registrationTokens: {
    name: 'registration_tokens',
    columns: { account_id: (r) => r.accountId, va_id: (r) => r.vaId },
  },
  licensePools: {
    name: 'license_pools',
    columns: { account_id: (r) => r.accountId, va_id: (r) => r.vaId, tag: (r) => r.tag },
  },
  productInstances: {
    name: 'product_instances',
    columns: {
      account_id: (r) => r.accountId,
      va_id: (r) => r.vaId,
      udi: (r) => r.udiKey,
      cert_serial: (r) => r.certSerial,
    },
  },
  users: { name: 'users', columns: { username: (r) => r.username } },
  apiClients: { name: 'api_clients', columns: { user_id: (r) => r.userId } },
  accessTokens: { name: 'access_tokens', columns: { client_id: (r) => r.clientId } },
  paks: { name: 'paks', columns: { account_id: (r) => r.accountId } },
  portalLicenses: {
    name: 'portal_licenses',
    columns: { account_id: (r) => r.accountId, udi: (r) => r.udiKey, pak_id: (r) => r.pakId },
  },
  permissionTickets: {
    name: 'permission_tickets',
    columns: { account_id: (r) => r.accountId, udi: (r) => r.udiKey },
  },
  rumReports: { name: 'rum_reports', columns: { udi: (r) => r.udiKey } },
  slpPolls: { name: 'slp_polls', columns: { owner: (r) => r.owner } },
  reservations: { name: 'reservations', columns: { va_id: (r) => r.vaId } },
};

export type IndexColumn<K extends TableKey> = keyof (typeof tables)[K]['columns'] & string;

export interface Migration {
  version: number;
  name: string;
  sql: (d: Dialect) => string[];
}

const doc = (d: Dialect) => (d === 'postgres' ? 'JSONB' : 'TEXT');

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'accounts, tokens, pools, product instances, events',
    sql: (d) => [
      `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
      `CREATE TABLE smart_accounts (id TEXT PRIMARY KEY, domain TEXT NOT NULL UNIQUE, doc ${doc(d)} NOT NULL)`,
      `CREATE TABLE virtual_accounts (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES smart_accounts(id),
         name TEXT NOT NULL, doc ${doc(d)} NOT NULL, UNIQUE (account_id, name))`,
      `CREATE TABLE registration_tokens (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, va_id TEXT NOT NULL REFERENCES virtual_accounts(id),
         doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX registration_tokens_va ON registration_tokens (va_id)`,
      `CREATE TABLE license_pools (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, va_id TEXT NOT NULL REFERENCES virtual_accounts(id),
         tag TEXT NOT NULL, doc ${doc(d)} NOT NULL, UNIQUE (va_id, tag))`,
      `CREATE TABLE product_instances (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, va_id TEXT NOT NULL REFERENCES virtual_accounts(id),
         udi TEXT NOT NULL UNIQUE, cert_serial TEXT NOT NULL UNIQUE, doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX product_instances_va ON product_instances (va_id)`,
      `CREATE TABLE events (seq ${d === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
         at BIGINT NOT NULL, account_id TEXT, va_id TEXT, kind TEXT NOT NULL, doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX events_account ON events (account_id, seq)`,
    ],
  },
  {
    version: 2,
    name: 'management API: users, API clients, OAuth2 tokens',
    sql: (d) => [
      `CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, doc ${doc(d)} NOT NULL)`,
      `CREATE TABLE api_clients (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), doc ${doc(d)} NOT NULL)`,
      `CREATE TABLE access_tokens (id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES api_clients(id), doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX access_tokens_client ON access_tokens (client_id)`,
    ],
  },
  {
    version: 3,
    name: 'replay protection: nonces of signed device requests, kept while their timestamp is in the window',
    sql: () => [
      `CREATE TABLE request_nonces (id TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)`,
      `CREATE INDEX request_nonces_expiry ON request_nonces (expires_at)`,
    ],
  },
  {
    version: 4,
    name: 'traditional licensing portal: PAKs, issued license lines, rehost permission tickets',
    sql: (d) => [
      `CREATE TABLE paks (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES smart_accounts(id), doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX paks_account ON paks (account_id)`,
      `CREATE TABLE portal_licenses (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES smart_accounts(id),
         udi TEXT NOT NULL, pak_id TEXT, doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX portal_licenses_udi ON portal_licenses (udi)`,
      `CREATE INDEX portal_licenses_account ON portal_licenses (account_id)`,
      `CREATE TABLE permission_tickets (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES smart_accounts(id),
         udi TEXT NOT NULL, doc ${doc(d)} NOT NULL)`,
    ],
  },
  {
    version: 5,
    name: 'Smart Licensing Using Policy: accepted RUM reports, polls',
    sql: (d) => [
      `CREATE TABLE rum_reports (id TEXT PRIMARY KEY, udi TEXT NOT NULL, doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX rum_reports_udi ON rum_reports (udi)`,
      `CREATE TABLE slp_polls (id TEXT PRIMARY KEY, owner TEXT NOT NULL, doc ${doc(d)} NOT NULL)`,
    ],
  },
  {
    version: 6,
    name: 'license reservations (SLR / PLR), one per UDI',
    sql: (d) => [
      `CREATE TABLE reservations (id TEXT PRIMARY KEY, va_id TEXT NOT NULL REFERENCES virtual_accounts(id), doc ${doc(d)} NOT NULL)`,
      `CREATE INDEX reservations_va ON reservations (va_id)`,
    ],
  },
];
