/**
 * The seed file (`lab cloud --seed FILE.yaml`, `POST /lab/seed`): smart accounts with their virtual
 * accounts, licenses (by SKU or by entitlement tag) and registration tokens, plus extra SKUs.
 * Example: scenarios/cloud-seed.example.yaml.
 */
import { Type, type Static } from '@sinclair/typebox';

const LicenseType = Type.Union([Type.Literal('PERPETUAL'), Type.Literal('TERM'), Type.Literal('DEMO')]);

const SkuLicense = Type.Object({ sku: Type.String({ minLength: 1 }), quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
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
  },
  { additionalProperties: false },
);

const SeedAccount = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    domain: Type.String({ minLength: 1 }),
    type: Type.Optional(Type.Union([Type.Literal('CUSTOMER'), Type.Literal('HOLDING')])),
    virtualAccounts: Type.Optional(Type.Array(SeedVirtualAccount)),
  },
  { additionalProperties: false },
);

const SeedSku = Type.Object(
  {
    sku: Type.String({ minLength: 1 }),
    description: Type.String(),
    lines: Type.Array(
      Type.Object(
        { tag: Type.String({ minLength: 1 }), quantityPerUnit: Type.Integer({ minimum: 1 }), licenseType: LicenseType, termDays: Type.Optional(Type.Integer({ minimum: 1 })) },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

export const SeedDocument = Type.Object(
  { skus: Type.Optional(Type.Array(SeedSku)), accounts: Type.Optional(Type.Array(SeedAccount)) },
  { additionalProperties: false },
);
export type SeedDocument = Static<typeof SeedDocument>;

export const SeedResult = Type.Object({
  created: Type.Object({ accounts: Type.Integer(), virtualAccounts: Type.Integer(), licenseDeposits: Type.Integer(), tokens: Type.Integer(), skus: Type.Integer() }),
  skipped: Type.Array(Type.String()),
});
export type SeedResult = Static<typeof SeedResult>;
