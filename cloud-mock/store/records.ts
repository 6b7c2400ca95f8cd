/** What the cloud persists: one record type per table. Times are lab-clock epoch ms. */
import type { Udi } from '#protocol';

export type AccountType = 'CUSTOMER' | 'HOLDING';

export interface SmartAccount {
  id: string;
  name: string;
  /** Cisco addresses smart accounts by domain (`example.com`) in the API. */
  domain: string;
  type: AccountType;
  createdAt: number;
}

export interface VirtualAccount {
  id: string;
  accountId: string;
  name: string;
  description: string;
  isDefault: boolean;
  /** The management API's commerceAccessLevel; absent means PUBLIC. */
  commerceAccessLevel?: 'PUBLIC' | 'PRIVATE';
  createdAt: number;
}

export interface RegistrationToken {
  /** The token string a device is given (`license smart register idtoken <token>`). */
  id: string;
  accountId: string;
  vaId: string;
  description: string;
  createdAt: number;
  createdBy: string;
  expiresAt: number;
  /** null = unlimited ("Number of uses" left empty in the portal). */
  maxUses: number | null;
  uses: number;
  exportControlled: boolean;
  revokedAt: number | null;
}

/** CSSM licenseDetails[].licenseType; DEMO licenses last at most 60 days. */
export type LicenseType = 'PERPETUAL' | 'TERM' | 'DEMO';

export interface PoolEntry {
  id: string;
  quantity: number;
  licenseType: LicenseType;
  startAt: number;
  /** null for PERPETUAL. */
  endAt: number | null;
  sku: string | null;
  orderId: string | null;
  subscriptionId: string | null;
}

/** The licenses of one entitlement tag in one virtual account. */
export interface LicensePool {
  id: string;
  accountId: string;
  vaId: string;
  tag: string;
  licenseName: string;
  entries: PoolEntry[];
  /** Sum of the counts product instances of this VA report for the tag. */
  inUse: number;
}

export interface ProductInstance {
  id: string;
  accountId: string;
  vaId: string;
  udi: Udi;
  /** `PID:<pid>,SN:<sn>`: unique across the cloud. */
  udiKey: string;
  hostname: string;
  registeredAt: number;
  tokenId: string;
  exportControlled: boolean;
  certSerial: string;
  certNotAfter: number;
  /** base64 SPKI DER of the key the ID certificate certifies. */
  publicKey: string;
  lastContactAt: number;
  softwareVersion: string | null;
  /** The overall answer of its last authorization request, if any. */
  lastAuthorization?: 'AUTHORIZED' | 'OUT_OF_COMPLIANCE';
  /** Entitlement tag -> count the instance last reported (authorization request or usage report). */
  entitlements: Record<string, number>;
}

/** The five CSSM roles, spelled as the accounts API lists them (cssm-api.md §1.3.1; seed 002 "User Roles"). */
export type RoleName =
  | 'Smart Account Administrator'
  | 'Smart Account User'
  | 'Smart Account Approver'
  | 'Virtual Account Administrator'
  | 'Virtual Account User';

/** A role on one smart account; the Virtual Account roles name the one VA they apply to. */
export interface RoleGrant {
  accountId: string;
  role: RoleName;
  vaId?: string;
}

/** A person (CCO user) of the management API. */
export interface User {
  id: string;
  /** Unique, e.g. `alice@example.com`. */
  username: string;
  /** scrypt hash (`secrets.ts`); null when the user has no password (client credentials only). */
  passwordHash: string | null;
  roles: RoleGrant[];
  createdAt: number;
}

/** An OAuth2 client ("app") registered by a user; its tokens act with that user's roles. */
export interface ApiClient {
  /** The client_id. */
  id: string;
  name: string;
  secretHash: string;
  userId: string;
  createdAt: number;
}

/** An issued OAuth2 token, stored by the SHA-256 of its value (the value itself is never stored). */
export interface AccessToken {
  /** hex SHA-256 of the token string. */
  id: string;
  kind: 'access' | 'refresh';
  clientId: string;
  userId: string;
  grant: 'client_credentials' | 'password';
  issuedAt: number;
  expiresAt: number;
}

export interface CloudEvent {
  seq: number;
  at: number;
  accountId: string | null;
  vaId: string | null;
  kind: string;
  actor: string;
  message: string;
  data: Record<string, unknown>;
}

export type NewCloudEvent = Omit<CloudEvent, 'seq'>;

/** Table key -> record type, and the indexed columns each table exposes for lookups. */
export interface Tables {
  smartAccounts: SmartAccount;
  virtualAccounts: VirtualAccount;
  registrationTokens: RegistrationToken;
  licensePools: LicensePool;
  productInstances: ProductInstance;
  users: User;
  apiClients: ApiClient;
  accessTokens: AccessToken;
}
export type TableKey = keyof Tables;
