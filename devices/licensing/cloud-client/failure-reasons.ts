/**
 * The one table from what went wrong to the IOS failure reason a device prints: `Failure reason:` in
 * `show license status` and the `<reason>` of %SMART_LIC-3-COMM_FAILED / AGENT_REG_FAILED. Each row names
 * its source; "lab choice" rows had no public capture (pages, docs, code and issues corpora searched
 * 2026-11-24) and are written in the register of the captured ones.
 */
import type { ErrorCode } from '#protocol';
import type { TransportFailureKind } from './transport.ts';

export type TransportType = 'Callhome' | 'Smart';

interface ReasonRow {
  /** `Transport: Type: Callhome` (smart-licensing.md §8.1). */
  Callhome: string;
  /** `Transport: Type: Smart`. */
  Smart: string;
  source: string;
}

const CALL_HOME_SEND = 'Fail to send out Call Home HTTP message.';
const COMM = 'Communications failure';

function both(reason: string, source: string): ReasonRow {
  return { Callhome: reason, Smart: reason, source };
}

/** Communication failures: the agent keeps its state and retries (COMM_FAILED). */
export const commFailureReasons = {
  refused: {
    Callhome: CALL_HOME_SEND,
    Smart: COMM,
    source: 'Callhome: FN72323 AGENT_REG_FAILED/COMM_FAILED; Smart: COMM_FAILED reason list, smart-licensing.md §5.3',
  },
  reset: { Callhome: CALL_HOME_SEND, Smart: COMM, source: 'as refused: FN72323 (ERR 205 : Request Aborted); §5.3' },
  timeout: {
    Callhome: CALL_HOME_SEND,
    Smart: COMM,
    source: 'FN72323: Call Home ERR 207 : Connection time out gives this COMM_FAILED reason; §5.3',
  },
  dns: {
    Callhome: CALL_HOME_SEND,
    Smart: 'Unable to resolve server hostname/domain name',
    source:
      'Smart: COMM_FAILED reason seen with no DNS for the server name, §5.3 / §8.1; Callhome reports every send failure alike (FN72323)',
  },
  tls: {
    Callhome: CALL_HOME_SEND,
    Smart: 'Cannot establish secure connection because server TLS cert cannot be validated',
    source:
      'Callhome: FN72323 (untrusted server root); Smart: Cisco TAC doc 222725 "Troubleshoot licensing failures on Nexus" (CSLU/Smart URL)',
  },
  empty: both('Received empty response from server', 'COMM_FAILED reason list, smart-licensing.md §5.3'),
  /** 5xx, 429, lab fault rules: the server answered but did not serve the request. */
  serverError: {
    Callhome: CALL_HOME_SEND,
    Smart: COMM,
    source: 'lab choice: a refused HTTP exchange reported like a failed send (FN72323 wording)',
  },
  /** An HTTP status the protocol never answers (1xx/3xx, 2xx other than 200). */
  unexpectedStatus: both(COMM, 'lab choice: generic COMM_FAILED reason, §5.3'),
  signatureMissing: both(
    'Response from server is not signed',
    'lab choice: the answer carries no X-Lab-Signature (cloud-mock/README.md "Signed answers")',
  ),
  signatureInvalid: both(
    'Response signature verification failed',
    'lab choice; cf. ASA mnemonic SMART_LIC CERTIFICATE_VALIDATION, §5.3',
  ),
  malformedBody: both(
    'Received invalid response from server',
    'lab choice, in the register of "Received empty response from server" (§5.3)',
  ),
  schemaViolation: both(
    'Received invalid response from server',
    "lab choice, as malformedBody: a 200 whose body is not the operation's response",
  ),
  untrustedIssuer: both(
    'Response signature verification failed',
    'lab choice: the certificate answered is not from the trusted root (cf. ROOT_CERT_MISMATCH_PROD, §5.3)',
  ),
  requestBuild: both('Communications init failure', 'COMM_FAILED reason list, smart-licensing.md §5.3'),
  /** REQUEST_REPLAYED: the cloud saw this nonce already; nothing changed, the next attempt has a new one. */
  replayed: {
    Callhome: CALL_HOME_SEND,
    Smart: COMM,
    source: 'lab choice: a request the cloud did not apply is reported like a failed send (FN72323 wording, §5.3)',
  },
} as const satisfies Record<TransportFailureKind, ReasonRow> & Record<string, ReasonRow>;

export type CommFailureCase = keyof typeof commFailureReasons;

/** Refusals: the cloud understood and said no. The reason comes from here or, for other codes, the cloud's message. */
export const refusalReasons = {
  TOKEN_UNKNOWN: both('The ID token is not valid.', 'lab choice (no CSSM capture found)'),
  TOKEN_EXPIRED: both(
    'The ID token has expired.',
    'lab choice (no CSSM capture found); ID token expiry, smart-licensing.md §2.2',
  ),
  TOKEN_REVOKED: both(
    'The ID token has been revoked.',
    'lab choice (no CSSM capture found); token revocation in CSSM, §2.2',
  ),
  TOKEN_USES_EXHAUSTED: both(
    'The ID token has reached its maximum number of uses.',
    'lab choice; "Max. Number of Uses" of a CSSM token, §2.2',
  ),
  UDI_REGISTERED_ELSEWHERE: both(
    'The product instance is already registered in another virtual account. Use the force option to move it.',
    'lab choice; `register idtoken … force` moves a registered product (§2.1, Nexus SLP troubleshooting guide for trust codes)',
  ),
  CERTIFICATE_UNKNOWN: both(
    'The product instance is not registered with Cisco Smart Software Manager.',
    'lab choice: CSSM no longer knows the ID certificate (removed or superseded)',
  ),
  CERTIFICATE_EXPIRED: both(
    'Identity certificate expired.',
    'ID_CERT_EXPIRED text, ASA guide, smart-licensing.md §5.3',
  ),
  CLOCK_SKEW: both(
    'The system clock is not in sync with Cisco Smart Software Manager.',
    'lab choice; timestamp mismatch cause in the Nexus SLP troubleshooting guide (§11 clock skew)',
  ),
} as const satisfies Partial<Record<ErrorCode, ReasonRow>>;

export function commFailureReason(failure: CommFailureCase, transport: TransportType): string {
  return commFailureReasons[failure][transport];
}

export function refusalReason(code: ErrorCode, cloudMessage: string, transport: TransportType): string {
  const row: ReasonRow | undefined = (refusalReasons as Partial<Record<ErrorCode, ReasonRow>>)[code];
  return row ? row[transport] : cloudMessage;
}
