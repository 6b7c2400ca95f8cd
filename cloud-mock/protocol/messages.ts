/**
 * Request and response bodies of the device protocol, as TypeBox schemas: one definition gives the
 * TypeScript type, the runtime validator and the OpenAPI document.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** The last instant a certificate (and JavaScript's Date) can express: 9999-12-31T23:59:59.999Z. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

const IsoDate = Type.String({ format: 'date-time', description: 'ISO 8601, lab clock' });

/** UDI: PID + SN, printed by devices as `PID:<pid>,SN:<sn>` (smart-licensing.md §1). */
export const Udi = Type.Object(
  {
    pid: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9/_.+-]*$' }),
    sn: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
  },
  { additionalProperties: false },
);
export type Udi = Static<typeof Udi>;

export function udiString(udi: Udi): string {
  return `PID:${udi.pid},SN:${udi.sn}`;
}

/** Every signed device request carries these, so a captured body cannot be replayed much later. */
const Freshness = {
  udi: Udi,
  timestamp: Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS, description: 'device clock, epoch ms' }),
  nonce: Type.String({ minLength: 8, maxLength: 64 }),
};

const EntitlementTag = Type.String({ minLength: 1, maxLength: 255 });
const EntitlementRequest = Type.Object(
  { tag: EntitlementTag, count: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export type EntitlementRequest = Static<typeof EntitlementRequest>;
const Entitlements = Type.Array(EntitlementRequest, { maxItems: 256 });

export const RegisterRequest = Type.Object(
  {
    ...Freshness,
    idToken: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'registration (ID) token from the virtual account',
    }),
    hostname: Type.String({
      minLength: 1,
      maxLength: 63,
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'IOS hostname',
    }),
    publicKey: Type.String({ minLength: 1, maxLength: 4096, description: 'base64 SPKI DER of the device key' }),
    force: Type.Optional(Type.Boolean()),
    softwareVersion: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type RegisterRequest = Static<typeof RegisterRequest>;

export const RegisterResponse = Type.Object({
  status: Type.Literal('REGISTERED'),
  udi: Udi,
  idCertificate: Type.String({ description: 'PEM, signed by the mock CA' }),
  certificateSerial: Type.String(),
  notBefore: IsoDate,
  notAfter: IsoDate,
  caCertificate: Type.String({ description: 'PEM of the CA that signs ID certificates and every response' }),
  smartAccount: Type.Object({ name: Type.String(), domain: Type.String() }),
  virtualAccount: Type.String(),
  exportControlled: Type.Boolean({ description: 'export-controlled functionality allowed by the token' }),
});
export type RegisterResponse = Static<typeof RegisterResponse>;

export const AuthorizeRequest = Type.Object(
  { ...Freshness, entitlements: Entitlements },
  { additionalProperties: false },
);
export type AuthorizeRequest = Static<typeof AuthorizeRequest>;

/**
 * Per-tag results mirror CISCO-SMART-LIC-MIB ciscoSlaEntitlementEnforceMode (authorized 3, outOfCompliance 4,
 * invalidTag 12).
 */
export const EntitlementStatus = Type.Union([
  Type.Literal('AUTHORIZED'),
  Type.Literal('OUT_OF_COMPLIANCE'),
  Type.Literal('INVALID_TAG'),
]);
export type EntitlementStatus = Static<typeof EntitlementStatus>;

export const AuthorizeResponse = Type.Object({
  status: Type.Union([Type.Literal('AUTHORIZED'), Type.Literal('OUT_OF_COMPLIANCE')]),
  entitlements: Type.Array(
    Type.Object({ tag: Type.String(), name: Type.String(), count: Type.Integer(), status: EntitlementStatus }),
  ),
  authorizedAt: IsoDate,
  validUntil: IsoDate,
});
export type AuthorizeResponse = Static<typeof AuthorizeResponse>;

/** Renewal certifies the same key again: the request is signed with it, which is the proof of possession. */
export const RenewIdRequest = Type.Object({ ...Freshness }, { additionalProperties: false });
export type RenewIdRequest = Static<typeof RenewIdRequest>;

export const RenewIdResponse = Type.Object({
  status: Type.Literal('RENEWED'),
  idCertificate: Type.String(),
  certificateSerial: Type.String(),
  notBefore: IsoDate,
  notAfter: IsoDate,
});
export type RenewIdResponse = Static<typeof RenewIdResponse>;

export const DeregisterRequest = Type.Object({ ...Freshness }, { additionalProperties: false });
export type DeregisterRequest = Static<typeof DeregisterRequest>;
export const DeregisterResponse = Type.Object({
  status: Type.Literal('DEREGISTERED'),
  releasedEntitlements: Type.Integer(),
});
export type DeregisterResponse = Static<typeof DeregisterResponse>;

export const UsageReportRequest = Type.Object(
  {
    ...Freshness,
    entitlements: Entitlements,
    measuredAt: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS })),
  },
  { additionalProperties: false },
);
export type UsageReportRequest = Static<typeof UsageReportRequest>;
export const UsageReportResponse = Type.Object({ status: Type.Literal('ACK'), acknowledgedAt: IsoDate });
export type UsageReportResponse = Static<typeof UsageReportResponse>;

/**
 * Device-led conversion (`license smart conversion start`, seed 004): a registered device names the
 * traditional licenses it holds. PAK lines must match licenses the portal issued to the UDI; Right-to-Use
 * activations (no PAK, EULA-based) are taken on the device's signed word, as CSSM takes them.
 */
const ConvertedLicense = Type.Object(
  {
    feature: Type.String({ minLength: 1, maxLength: 64 }),
    tag: EntitlementTag,
    source: Type.Union([Type.Literal('PAK'), Type.Literal('RTU')]),
  },
  { additionalProperties: false },
);
export const ConversionRequest = Type.Object(
  { ...Freshness, licenses: Type.Array(ConvertedLicense, { minItems: 1, maxItems: 64 }) },
  { additionalProperties: false },
);
export type ConversionRequest = Static<typeof ConversionRequest>;
export type ConvertedLicense = Static<typeof ConvertedLicense>;
export const ConversionResponse = Type.Object({
  status: Type.Literal('CONVERTED'),
  converted: Type.Array(Type.Object({ feature: Type.String(), tag: Type.String(), quantity: Type.Integer() })),
  convertedAt: IsoDate,
});
export type ConversionResponse = Static<typeof ConversionResponse>;

/** The schema pair of each device operation, keyed like devicePaths. */
export const deviceSchemas = {
  register: { request: RegisterRequest, response: RegisterResponse },
  authorize: { request: AuthorizeRequest, response: AuthorizeResponse },
  renewId: { request: RenewIdRequest, response: RenewIdResponse },
  deregister: { request: DeregisterRequest, response: DeregisterResponse },
  reportUsage: { request: UsageReportRequest, response: UsageReportResponse },
  convert: { request: ConversionRequest, response: ConversionResponse },
} as const satisfies Record<string, { request: TSchema; response: TSchema }>;
