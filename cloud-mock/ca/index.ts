/** The mock cloud's certificate authority: ID certificates, the cloud's TLS certificate, response signatures. */
export {
  MockCa,
  ID_CERT_BACKDATE_MS,
  ID_CERT_LIFETIME_MS,
  SERVER_CERT_LIFETIME_MS,
  CA_LIFETIME_YEARS,
  DEFAULT_CA_COMMON_NAME,
  ORGANIZATION,
  type CaMaterial,
  type IdCertificateRequest,
  type IssuedCertificate,
} from './mock-ca.ts';
export {
  buildCertificate,
  keyIdentifier,
  issuerInfo,
  ECDSA_WITH_SHA256,
  type CertificateOptions,
  type CertificateExtensions,
  type KeyUsage,
  type ExtKeyUsage,
  type DistinguishedName,
  type NameAttribute,
  type NameRecord,
} from './x509-builder.ts';
export { LicenseSigningKey, LICENSE_ISSUER, type LicenseKeyMaterial } from './license-signing-key.ts';
