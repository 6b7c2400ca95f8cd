/**
 * License call-home (`license call-home install pak|resend|revoke`, traditional-licensing-snmp-platforms.md
 * §A.4): the device talks to the licensing back end itself, over HTTPS, with the Cisco.com username and
 * password it prompted for. The real back end is SWIFT (tools.cisco.com/SWIFT/Licensing, S-CSAOV glossary);
 * its messages are not public, so these JSON shapes are the lab's. Answers carry license files in the
 * format of license-file.ts, signed by the key `GET signingKey` hands out.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Udi } from './messages.ts';

export const CALL_HOME_BASE = '/swift/licensing';

export const callHomePaths = {
  install: `${CALL_HOME_BASE}/call-home/install`,
  resend: `${CALL_HOME_BASE}/call-home/resend`,
  revoke: `${CALL_HOME_BASE}/call-home/revoke`,
  /** GET: the public key devices verify license lines with. */
  signingKey: `${CALL_HOME_BASE}/signing-key`,
} as const;

/** The Cisco.com account the device prompts for; a lab user (seed `users`, POST /lab/users) with a password. */
export const CallHomeLogin = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const CallHomeInstallRequest = Type.Object(
  {
    udi: Udi,
    login: CallHomeLogin,
    pak: Type.String({ minLength: 1, maxLength: 32, description: 'the 11-character PAK (any case)' }),
    skus: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sku: Type.String({ minLength: 1, maxLength: 64 }),
            quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 64,
          description: 'absent: one unit of every SKU of the PAK that fits the device and has units left',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CallHomeInstallRequest = Static<typeof CallHomeInstallRequest>;

export const CallHomeResendRequest = Type.Object({ udi: Udi, login: CallHomeLogin }, { additionalProperties: false });
export type CallHomeResendRequest = Static<typeof CallHomeResendRequest>;

export const CallHomeRevokeRequest = Type.Object(
  {
    udi: Udi,
    login: CallHomeLogin,
    targetUdi: Udi,
    features: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type CallHomeRevokeRequest = Static<typeof CallHomeRevokeRequest>;

const IssuedLicense = Type.Object({
  licenseId: Type.String(),
  feature: Type.String(),
  licenseType: Type.String({ description: 'clmgmtLicenseType name (license-file.ts licenseTypes)' }),
  count: Type.Union([Type.Integer(), Type.Null()]),
});

export const CallHomeLicenseResponse = Type.Object({
  status: Type.Union([Type.Literal('INSTALLABLE'), Type.Literal('RESENT')]),
  licenseFile: Type.String({ description: 'license file text (LICENSE-FILE v=1)' }),
  fileName: Type.String({ description: '<SN>_<timestamp>.lic' }),
  licenses: Type.Array(IssuedLicense),
});
export type CallHomeLicenseResponse = Static<typeof CallHomeLicenseResponse>;

export const CallHomeRevokeResponse = Type.Object({
  status: Type.Literal('REVOKED'),
  /** License ids the device must remove. */
  revoked: Type.Array(Type.String()),
  /** gracePeriod lines for this device (60 days), to install now. */
  graceLicenseFile: Type.String(),
  /** The target's license file, to save at the command's URL. */
  licenseFile: Type.String(),
  fileName: Type.String(),
});
export type CallHomeRevokeResponse = Static<typeof CallHomeRevokeResponse>;

export const SigningKeyResponse = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  keyId: Type.String({ description: 'kid= of the lines it signs' }),
  issuer: Type.String(),
  publicKey: Type.String({ description: 'PEM SubjectPublicKeyInfo' }),
});
export type SigningKeyResponse = Static<typeof SigningKeyResponse>;
