/**
 * The seed file (`lab cloud --seed FILE.yaml`, `POST /lab/seed`): smart accounts with their virtual
 * accounts, licenses (by SKU or by entitlement tag) and registration tokens, their PAKs (traditional
 * licensing), plus extra SKUs, and the management API's users (with roles) and OAuth2 API clients.
 * Example: scenarios/cloud-seed.example.yaml.
 */
import { Type, type Static } from '@sinclair/typebox';

const LicenseType = Type.Union([Type.Literal('PERPETUAL'), Type.Literal('TERM'), Type.Literal('DEMO')]);

const SkuLicense = Type.Object(
  { sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
const TagLicense = Type.Object(
  {
    tag: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    licenseType: LicenseType,
    termDays: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

const SeedToken = Type.Object(
  {
    value: Type.Optional(Type.String({ description: 'fixed token string, so scenarios can name it' })),
    description: Type.Optional(Type.String()),
    expiresAfterDays: Type.Optional(Type.Integer()),
    maxUses: Type.Optional(Type.Integer()),
    exportControlled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const SeedVirtualAccount = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    licenses: Type.Optional(Type.Array(Type.Union([SkuLicense, TagLicense]))),
    tokens: Type.Optional(Type.Array(SeedToken)),
    /** SLP: export-controlled licenses may be authorized (SLAC) for its devices without an export token. */
    exportControlled: Type.Optional(Type.Boolean()),
    /** Reservation: Permanent License Reservation (UNIVERSAL) allowed, not only SPECIFIC. */
    plrAllowed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A PAK bought into the account: traditional SKU items (domain/traditional-skus.ts) and quantities. */
const SeedPak = Type.Object(
  {
    pak: Type.Optional(Type.String({ description: 'fixed 11-character key, so scenarios can name it' })),
    orderId: Type.Optional(Type.String()),
    items: Type.Array(
      Type.Object(
        { sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

const SeedAccount = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    domain: Type.String({ minLength: 1 }),
    type: Type.Optional(Type.Union([Type.Literal('CUSTOMER'), Type.Literal('HOLDING')])),
    virtualAccounts: Type.Optional(Type.Array(SeedVirtualAccount)),
    paks: Type.Optional(Type.Array(SeedPak)),
  },
  { additionalProperties: false },
);

const SeedSku = Type.Object(
  {
    sku: Type.String({ minLength: 1 }),
    description: Type.String(),
    lines: Type.Array(
      Type.Object(
        {
          tag: Type.String({ minLength: 1 }),
          quantityPerUnit: Type.Integer({ minimum: 1 }),
          licenseType: LicenseType,
          termDays: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

const RoleName = Type.Union(
  [
    'Smart Account Administrator',
    'Smart Account User',
    'Smart Account Approver',
    'Virtual Account Administrator',
    'Virtual Account User',
  ].map((r) => Type.Literal(r)),
);

export const SeedRole = Type.Object(
  {
    account: Type.String({ minLength: 1, maxLength: 253, description: 'smart account domain' }),
    role: RoleName,
    virtualAccount: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'the Virtual Account roles only' }),
    ),
  },
  { additionalProperties: false },
);

export const SeedUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 256,
        description: 'for the OAuth2 password grant; stored as an scrypt hash',
      }),
    ),
    roles: Type.Array(SeedRole, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const SeedApiClient = Type.Object(
  {
    user: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'username of the owner; the client acts with their roles',
    }),
    clientId: Type.Optional(Type.String({ minLength: 4, maxLength: 128 })),
    clientSecret: Type.Optional(
      Type.String({ minLength: 8, maxLength: 256, description: 'stored as an scrypt hash; generated when absent' }),
    ),
    name: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);

export const SeedDocument = Type.Object(
  {
    skus: Type.Optional(Type.Array(SeedSku)),
    accounts: Type.Optional(Type.Array(SeedAccount)),
    users: Type.Optional(Type.Array(SeedUser)),
    apiClients: Type.Optional(Type.Array(SeedApiClient)),
  },
  { additionalProperties: false },
);
export type SeedDocument = Static<typeof SeedDocument>;

export const SeedResult = Type.Object({
  created: Type.Object({
    accounts: Type.Integer(),
    virtualAccounts: Type.Integer(),
    licenseDeposits: Type.Integer(),
    tokens: Type.Integer(),
    paks: Type.Integer(),
    skus: Type.Integer(),
    users: Type.Integer(),
    apiClients: Type.Integer(),
  }),
  skipped: Type.Array(Type.String()),
});
export type SeedResult = Static<typeof SeedResult>;
