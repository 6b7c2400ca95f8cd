/** What the cloud persists: one record type per table. Times are lab-clock epoch ms. */
import type { DeviceResult, LicenseLineType, Policy, PollAction, Udi } from '#protocol';

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
  /** The customer SLP policy of the VA; absent: DEFAULT_POLICY. */
  slpPolicy?: { policy: Policy; setAt: number };
  /** Export-controlled licenses may be authorized (SLAC) for devices of this VA without an export token. */
  exportControlled?: boolean;
  /** The VA may reserve UNIVERSAL (Permanent License Reservation) as well as SPECIFIC licenses. */
  plrAllowed?: boolean;
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
  /** Held by SLACs and license reservations while they last (absent: 0). */
  reserved?: number;
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
  /** Present once the UDI speaks Smart Licensing Using Policy (trust code or RUM reports). */
  slp?: SlpInstanceState;
  /** The SSM On-Prem that serves it (satellite-sync.ts): it reached CSSM only through that On-Prem's sync. */
  satellite?: string;
}

/** What the cloud keeps of an SLP product instance (it holds no ID certificate: certSerial is `slp-<id>`). */
export interface SlpInstanceState {
  /** base64 SPKI its trust code binds (direct transport), and until when; null without a trust code. */
  trustedKey: string | null;
  trustValidUntil: number | null;
  /** The key its RUM reports must be signed with: the trusted key, else the first key reported with. */
  reportKey: string | null;
  /** Entitlement tag -> the latest count reported and when the cloud accepted it (tags outside the catalogue too). */
  usage: Record<string, { count: number; reportedAt: number }>;
  /** `setAt` of the VA policy last sent to it in an ACK or a POLICY document; null: none yet. */
  policySentAt: number | null;
  /** The SLAC it holds (its licenses held out of the pool), if any. */
  authorization?: SlacHold | null;
}

/** A Smart Licensing Authorization Code the cloud issued, and the code that returns it. */
export interface SlacHold {
  keys: { entitlement: string; count: number }[];
  confirmCode: string;
  issuedAt: number;
}

/** A RUM report the cloud accepted: id `<udiKey> <report_id>`, so a report id counts once per UDI. */
export interface RumReportRecord {
  id: string;
  udiKey: string;
  reportId: number;
  tag: string;
  acceptedAt: number;
  pollId: string;
}

/** One device's part of a poll's result. */
export interface PollItem {
  udiKey: string;
  sudi: { udi_pid: string; udi_serial_number: string };
  /** Acknowledgements: the report ids accepted. */
  reportIds: number[];
  /** Authorizations: the SLAC issued (keys [] for a return). */
  slac?: { keys: { entitlement: string; count: number }[]; confirmCode: string };
}

/** An asynchronous SLP request (upload or authorization) and, once fetched complete, its frozen answer. */
export interface SlpPoll {
  /** The poll id's decimal digits (beyond 2^53). */
  id: string;
  action: PollAction;
  /** Who may fetch it: `udi:<udiKey>` (direct transport) or `va:<vaId>` (the API for CSLU and tools). */
  owner: string;
  accountId: string;
  vaId: string;
  createdAt: number;
  readyAt: number;
  items: PollItem[];
  /** Set at the first fetch after readyAt, then answered the same every time. */
  results: DeviceResult[] | null;
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

/** One SKU of a PAK: units bought, and how many were fulfilled (licenses issued) or converted to Smart. */
export interface PakItem {
  sku: string;
  quantity: number;
  fulfilled: number;
  converted: number;
}

/** A Product Authorization Key (traditional licensing): 11 characters, bought into one smart account. */
export interface Pak {
  /** The key itself, upper case (`3A1B2C3D4E5`). */
  id: string;
  accountId: string;
  orderId: string | null;
  createdAt: number;
  items: PakItem[];
}

/**
 * ACTIVE: valid on its UDI. REHOSTED: revoked by the device for a rehost. RMA_REPLACED: its device failed
 * and a replacement got its licenses. CONVERTED: deposited in a Smart Licensing pool instead.
 */
export type PortalLicenseStatus = 'ACTIVE' | 'REHOSTED' | 'RMA_REPLACED' | 'CONVERTED';

/** A license line the portal issued, kept so it can be resent, rehosted, replaced after an RMA or converted. */
export interface PortalLicense {
  /** The line's id= (16 hex digits). */
  id: string;
  accountId: string;
  udi: Udi;
  /** `PID:<pid>,SN:<sn>`. */
  udiKey: string;
  pakId: string | null;
  sku: string | null;
  feature: string;
  type: LicenseLineType;
  count: number | null;
  /** The signed line, byte for byte as issued. */
  line: string;
  issuedAt: number;
  status: PortalLicenseStatus;
  statusAt: number | null;
  /** The UDI that got this license's successor (rehost, RMA). */
  movedTo: string | null;
}

/** A rehost in progress: the licenses the source device must revoke, and the grace lines it installs. */
export interface PermissionTicketRecord {
  id: string;
  accountId: string;
  udi: Udi;
  udiKey: string;
  licenseIds: string[];
  /** HMAC key of the rehost ticket's proof: only a holder of this ticket can make it. */
  secret: string;
  /** Signed with the ticket; recorded as the source's licenses when its rehost ticket comes back. */
  grace: PortalLicense[];
  createdAt: number;
  usedAt: number | null;
  targetUdiKey: string | null;
}

/** Licenses reserved for one UDI (SLR / PLR), held out of its VA's pool until the return code comes back. */
export interface ReservationRecord {
  /** The UDI key: one reservation per UDI. */
  id: string;
  accountId: string;
  vaId: string;
  udi: Udi;
  type: 'SPECIFIC' | 'UNIVERSAL';
  licenses: { entitlementTag: string; quantity: number }[];
  requestCode: string;
  confirmationCode: string;
  issuedAt: number;
}

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
  paks: Pak;
  portalLicenses: PortalLicense;
  permissionTickets: PermissionTicketRecord;
  rumReports: RumReportRecord;
  slpPolls: SlpPoll;
  reservations: ReservationRecord;
}
export type TableKey = keyof Tables;
