/**
 * The Smart Licensing agent's data, all of it plain JSON so a snapshot can be stored, posted to a worker
 * thread or streamed to a dashboard. `SmartRecord` is what the device keeps in its trusted storage (it
 * survives reload and lab restart); `SmartContext` adds what lives only while the agent runs.
 * Times are lab-clock epoch ms; the device shows them shifted by its clock offset.
 */
import type {
  AuthorizeResponse,
  ConversionResponse,
  ConvertedLicense,
  DeregisterResponse,
  EntitlementRequest,
  EntitlementStatus,
  RegisterResponse,
  RenewIdResponse,
  Udi,
} from '#protocol';
import type { CloudResult } from './cloud-client/cloud-result.ts';
import type { LicenseReservation } from './license-reservation.ts';
import type { Attempt } from './smart-view.ts';
import type { SmartTimers } from './smart-timers.ts';

export interface SmartIdentity {
  certificatePem: string;
  certificateSerial: string;
  notBefore: number;
  notAfter: number;
  smartAccount: string;
  virtualAccount: string;
  exportControlled: boolean;
  registeredAt: number;
  nextIdRenewalAt: number;
}

export interface EntitlementAnswer {
  tag: string;
  name: string;
  status: EntitlementStatus;
}

/**
 * Device-led conversion (`license smart conversion start`, seed 004): in progress until the cloud answers
 * (a reload resumes it), then succeeded with what the VA got, or failed with the reason (start it again).
 */
export interface SmartConversion {
  status: 'inProgress' | 'succeeded' | 'failed';
  at: number;
  reason?: string;
  converted?: ConversionResponse['converted'];
}

/** The authorization states a reload must come back to (the chart's `authorization` region). */
export type ComplianceStatus = 'pending' | 'authorized' | 'outOfCompliance' | 'authorizationExpired';

export interface SmartRecord {
  enabled: boolean;
  /** Private key (PKCS#8 PEM), kept like a device's factory key: generated once, reused for every registration. */
  keyPem: string;
  identity?: SmartIdentity;
  initialRegistration?: Attempt;
  lastIdRenewal?: Attempt;
  /** Eval time consumed before the current eval segment started. */
  evalUsedMs: number;
  evalExpiredAt?: number;
  /** License reservation (SLR / PLR, license-reservation.ts); absent until `license smart reservation`. */
  reservation?: LicenseReservation;
  /** Device-led conversion; absent until `license smart conversion start`. */
  conversion?: SmartConversion;
  auth: {
    /** The authorization state the agent was in, written on entering it; read only to route a boot. */
    status: ComplianceStatus | 'none';
    since?: number;
    lastAttempt?: Attempt;
    nextAt?: number;
    deadline?: number;
    answers: readonly EntitlementAnswer[];
  };
}

/** An entitlement the running configuration uses (boot level, add-on, feature). */
export type SmartEntitlement = EntitlementRequest & { feature: string; exportControlled: boolean };

/** What the agent knows of the device it runs on. */
export interface SmartDevice {
  udi: Udi;
  softwareVersion: string;
  /** Running-config hostname, sent with a registration. */
  hostname: string;
  /** Device clock minus lab clock (`clock set`): request timestamps and certificate-validity checks use it. */
  clockOffsetMs: number;
  /** The factory key's public half, base64 SPKI DER, as the cloud certifies it. */
  publicKeySpkiB64: string;
}

export interface SmartInput {
  record: SmartRecord;
  timers: SmartTimers;
  entitlements: readonly SmartEntitlement[];
  /** The traditional licenses the box holds (PAK lines, Right-to-Use activations), as a conversion names them. */
  convertible: readonly ConvertedLicense[];
  device: SmartDevice;
}

export interface SmartContext extends SmartInput {
  /** Lab time the current eval segment started (in eval only). */
  evalSegmentStart?: number;
  /** The token and force flag of the registration in progress (not stored: IOS does not keep tokens). */
  registration?: { idToken: string; force: boolean };
  /** First failure of the registration retry series (the 15-minute cadence lasts 4 hours from it). */
  registrationFailedSince?: number;
  /** Consecutive failures of the renewal being retried (auth or ID), for the back-off. */
  authFailures: number;
  idFailures: number;
  nextIdRetryAt?: number;
  /** Lab time the clock left the certificate's validity (REG_EXPIRED_CLOCK_CHANGE grace). */
  clockOutOfRangeSince?: number;
}

/** What the agent asks the cloud, as plain data; the exchange actor signs and sends it. */
export type ExchangeRequest =
  | { op: 'register'; idToken: string; force: boolean; hostname: string; softwareVersion: string }
  | { op: 'authorize'; certificateSerial: string; entitlements: EntitlementRequest[] }
  | { op: 'renewId'; certificateSerial: string }
  | { op: 'deregister'; certificateSerial: string }
  | { op: 'convert'; certificateSerial: string; licenses: ConvertedLicense[] };

export interface ExchangeInput {
  request: ExchangeRequest;
  udi: Udi;
  keyPem: string;
  publicKeySpkiB64: string;
  clockOffsetMs: number;
  /** Lab ms after which an unanswered exchange is a communication failure. */
  timeoutMs: number;
}

/** The cloud's answer to each exchange, as the exchange actor sends it back to the agent. */
export type CloudAnswer =
  | { type: 'cloud.answered.register'; result: CloudResult<RegisterResponse> }
  | { type: 'cloud.answered.authorize'; result: CloudResult<AuthorizeResponse> }
  | { type: 'cloud.answered.renewId'; result: CloudResult<RenewIdResponse> }
  | { type: 'cloud.answered.deregister'; result: CloudResult<DeregisterResponse> }
  | { type: 'cloud.answered.convert'; result: CloudResult<ConversionResponse> };

export function newSmartRecord(keyPem: string): SmartRecord {
  return { enabled: true, keyPem, evalUsedMs: 0, auth: { status: 'none', answers: [] } };
}

/** Eval time used including the running segment. */
export function evalUsed(c: Pick<SmartContext, 'record' | 'evalSegmentStart'>, now: number): number {
  return c.record.evalUsedMs + (c.evalSegmentStart === undefined ? 0 : now - c.evalSegmentStart);
}
