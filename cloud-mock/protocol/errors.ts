/**
 * The one error catalogue of the cloud: every 4xx/5xx the cloud answers carries one of these stable codes
 * with its HTTP status. Devices map codes to IOS-style failure reasons; the documentation table in
 * cloud-mock/README.md is generated from this object and checked by a test (fastify's catalogue style).
 */
export const errorCatalogue = {
  // Request shape
  MALFORMED_JSON: { status: 400, summary: 'The body is not valid JSON.' },
  SCHEMA_VIOLATION: { status: 400, summary: 'The body or query does not match the schema of the route.' },
  INVALID_VALUE: { status: 400, summary: 'A value is well-formed but not acceptable (out of range, unknown choice).' },
  MALFORMED_REQUEST: {
    status: 400,
    summary: 'The HTTP request itself is broken (framing, method, encoding) and was refused before routing.',
  },
  HEADERS_TOO_LARGE: { status: 431, summary: 'The request line or headers are over the server limit (16 KiB).' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    summary: 'The body is not application/json (or YAML where a route accepts it).',
  },
  BODY_TOO_LARGE: { status: 413, summary: 'The body is over the 1 MiB limit.' },
  ROUTE_NOT_FOUND: { status: 404, summary: 'No route has this path.' },
  METHOD_NOT_ALLOWED: { status: 405, summary: 'The path exists but not with this method.' },
  // Device authentication
  SIGNATURE_MISSING: {
    status: 401,
    summary: 'The request has no X-Lab-Signature (or X-Lab-Certificate-Serial) header.',
  },
  SIGNATURE_INVALID: {
    status: 401,
    summary: 'The signature does not verify against the key of the ID certificate named.',
  },
  PROOF_OF_POSSESSION_FAILED: {
    status: 401,
    summary: 'The registration is not signed by the private key of the public key it presents.',
  },
  CERTIFICATE_UNKNOWN: {
    status: 401,
    summary: 'No product instance holds an ID certificate with this serial (never issued, superseded or removed).',
  },
  CERTIFICATE_EXPIRED: { status: 401, summary: 'The ID certificate is past its notAfter date: register again.' },
  CLOCK_SKEW: { status: 401, summary: 'The request timestamp is too far from the cloud clock.' },
  REQUEST_REPLAYED: {
    status: 409,
    summary: 'The cloud already received this signed request (same UDI and nonce) within the timestamp window.',
  },
  IDENTITY_MISMATCH: {
    status: 403,
    summary: 'The UDI in the body is not the UDI of the authenticated product instance.',
  },
  KEY_INVALID: {
    status: 400,
    summary: 'The public key is not a parseable SPKI key of a supported type (EC P-256/P-384, RSA ≥ 2048).',
  },
  // Registration tokens
  TOKEN_UNKNOWN: { status: 404, summary: 'No registration token has this value.' },
  TOKEN_EXPIRED: { status: 410, summary: 'The registration token is past its expiry date.' },
  TOKEN_REVOKED: { status: 410, summary: 'The registration token was revoked.' },
  TOKEN_USES_EXHAUSTED: { status: 409, summary: 'The registration token reached its maximum number of uses.' },
  UDI_REGISTERED_ELSEWHERE: {
    status: 409,
    summary: 'The UDI is registered in another virtual account; use force to move it.',
  },
  // Accounts and licenses
  ACCOUNT_NOT_FOUND: { status: 404, summary: 'No smart account has this domain.' },
  ACCOUNT_EXISTS: { status: 409, summary: 'A smart account with this domain exists.' },
  VIRTUAL_ACCOUNT_NOT_FOUND: { status: 404, summary: 'The smart account has no virtual account with this name.' },
  VIRTUAL_ACCOUNT_EXISTS: { status: 409, summary: 'The smart account already has a virtual account with this name.' },
  VIRTUAL_ACCOUNT_NOT_EMPTY: {
    status: 409,
    summary: 'The virtual account still holds licenses, product instances or is the default.',
  },
  TOKEN_NOT_FOUND: { status: 404, summary: 'The virtual account has no such registration token.' },
  SKU_UNKNOWN: { status: 400, summary: 'The SKU is not in the catalogue.' },
  ENTITLEMENT_UNKNOWN: { status: 400, summary: 'The entitlement tag is not in the catalogue.' },
  INSUFFICIENT_LICENSES: { status: 409, summary: 'The virtual account has fewer available licenses than asked for.' },
  CROSS_ACCOUNT_TRANSFER: {
    status: 400,
    summary: 'Licenses and product instances move only between virtual accounts of one smart account.',
  },
  INSTANCE_NOT_FOUND: { status: 404, summary: 'No product instance has this UDI (in this virtual account).' },
  // Traditional licensing portal (PAKs, license files, rehost, RMA)
  PAK_NOT_FOUND: { status: 404, summary: 'No PAK with this key belongs to this smart account.' },
  PAK_EXISTS: { status: 409, summary: 'A PAK with this key exists.' },
  PAK_EXHAUSTED: {
    status: 409,
    summary: 'The PAK has fewer unfulfilled units of the SKU than asked for; nothing was issued.',
  },
  SKU_NOT_FOR_PLATFORM: { status: 400, summary: "The SKU's license does not apply to the device's product ID." },
  LICENSE_NOT_FOUND: { status: 404, summary: 'No active license of this smart account is locked to the UDI.' },
  ALREADY_CONVERTED: {
    status: 409,
    summary: "The product instance's traditional licenses were converted to Smart Licensing before.",
  },
  EVALUATION_ALREADY_ISSUED: {
    status: 409,
    summary: 'The portal issues one evaluation license per UDI and feature; this one was issued before.',
  },
  EXTENSION_NOT_APPROVED: {
    status: 409,
    summary: 'An extension license needs approval (TAC): send approved: true once it is given.',
  },
  PERMISSION_TICKET_NOT_FOUND: {
    status: 404,
    summary: 'No rehost permission ticket has this id in this smart account.',
  },
  PERMISSION_TICKET_USED: { status: 409, summary: 'The permission ticket was already used for a rehost.' },
  REHOST_TICKET_INVALID: {
    status: 400,
    summary: 'The rehost ticket is malformed or does not prove the revocation its permission ticket asked for.',
  },
  CALL_HOME_LOGIN_FAILED: {
    status: 401,
    summary: 'License call-home: the Cisco.com username and password are not those of a lab user.',
  },
  // Management API: OAuth2, bearer tokens, roles, rate limits
  OAUTH_INVALID_CLIENT: {
    status: 401,
    summary: 'The OAuth2 client id is unknown or its secret is wrong (RFC 6749 invalid_client).',
  },
  OAUTH_INVALID_GRANT: {
    status: 400,
    summary: 'The username and password, or the refresh token, are not valid (RFC 6749 invalid_grant).',
  },
  OAUTH_UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    summary: 'grant_type is not client_credentials, password or refresh_token.',
  },
  ACCESS_TOKEN_MISSING: { status: 401, summary: 'The request has no Authorization: Bearer <access_token> header.' },
  ACCESS_TOKEN_INVALID: {
    status: 401,
    summary: 'The bearer token is unknown or expired: get a new one from the token endpoint.',
  },
  ACCESS_DENIED: {
    status: 403,
    summary: "The caller's roles do not allow this on this smart or virtual account (the denial is logged).",
  },
  RATE_LIMITED: {
    status: 429,
    summary: 'The API client sent more requests than its rate limit; retry after Retry-After seconds (lab time).',
  },
  USER_EXISTS: { status: 409, summary: 'A user with this username exists.' },
  USER_NOT_FOUND: { status: 404, summary: 'No user has this username.' },
  API_CLIENT_EXISTS: { status: 409, summary: 'An API client with this client id exists.' },
  // Lab control
  LAB_KEY_MISSING: {
    status: 401,
    summary: 'Lab control (/lab/…) needs the lab key: X-Lab-Key or Authorization: Bearer (the refusal is logged).',
  },
  LAB_KEY_INVALID: {
    status: 401,
    summary: 'The lab key sent is not the lab key of this cloud (the refusal is logged).',
  },
  CLOCK_NOT_STEPPED: { status: 409, summary: 'The lab clock can be set only in stepped mode (lab cloud --step).' },
  SEED_INVALID: { status: 400, summary: 'The seed document does not match the seed format.' },
  FAULT_INJECTED: {
    status: 503,
    summary: 'A lab fault rule answered this request (its status code replaces this one).',
  },
  // Smart Licensing Using Policy (slp.ts)
  TRUST_CLOCK_MISMATCH: {
    status: 400,
    summary: 'The device clock is more than an hour from the cloud clock; no trust code is issued (set the clock).',
  },
  TRUST_KEY_CONFLICT: {
    status: 409,
    summary: 'The UDI is already trusted with another key; ask with force to replace the trust code.',
  },
  TRUST_MISSING: {
    status: 403,
    summary: 'Insufficient trust: the UDI holds no valid trust code (license smart trust idtoken first).',
  },
  RUM_REPORT_INVALID: {
    status: 400,
    summary: 'A RUM report is malformed, its signature does not cover its payload, or its UDIs disagree.',
  },
  RUM_KEY_MISMATCH: {
    status: 403,
    summary: 'A RUM report is signed with a key other than the one trusted (or first seen) for its UDI.',
  },
  RUM_REPORT_DUPLICATE: {
    status: 409,
    summary: 'The upload holds a report id the cloud already accepted from this UDI; nothing was recorded.',
  },
  POLL_UNKNOWN: { status: 404, summary: 'No poll of this caller has this poll id and action.' },
  SLAC_NOT_APPLICABLE: {
    status: 400,
    summary: 'The license is neither enforced nor export-controlled: it needs no authorization code.',
  },
  EXPORT_NOT_ALLOWED: {
    status: 403,
    summary: 'Export-controlled licenses need an export-allowed token (or virtual account); this one is not.',
  },
  SLAC_NOT_FOUND: { status: 404, summary: 'The product instance holds no authorization code to return.' },
  SLAC_RETURN_CODE_INVALID: {
    status: 400,
    summary: 'The remove code is not the confirm code of the authorization the product instance holds.',
  },
  // License reservation (reservation.ts)
  RESERVATION_CODE_INVALID: {
    status: 400,
    summary: 'The reservation request or return code is malformed or fails its check digits.',
  },
  PLR_NOT_ALLOWED: {
    status: 403,
    summary: 'The virtual account may not reserve UNIVERSAL licenses (Permanent License Reservation).',
  },
  RESERVATION_EXISTS: { status: 409, summary: 'The UDI already holds a reservation; return it first.' },
  RESERVATION_NOT_FOUND: { status: 404, summary: 'The UDI holds no reservation in this virtual account.' },
  RETURN_CODE_INVALID: {
    status: 400,
    summary: 'The return code does not prove the reservation the UDI holds (another confirmation code).',
  },
  // Server side
  STORE_UNAVAILABLE: { status: 503, summary: 'The database could not be reached; nothing was written.' },
  INTERNAL_ERROR: {
    status: 500,
    summary: 'A defect in the cloud mock; the request was not applied. Please report it.',
  },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/**
 * The body of every error answer of the device protocol and the lab control API. The management API
 * adds Cisco's `status: "ERROR"` and `statusMessage` beside it; the OAuth2 token endpoints answer RFC 6749's
 * `{error, error_description}` with the catalogue code in `code` (cloud-mock/README.md, "Management API").
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function statusOf(code: ErrorCode): number {
  return errorCatalogue[code].status;
}
