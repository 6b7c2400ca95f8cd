/**
 * The Smart Licensing agent's data. `SmartRecord` is what the device keeps in its trusted storage (it
 * survives reload and lab restart); `SmartContext` adds what lives only while the device runs.
 * Times are lab-clock epoch ms; the device shows them shifted by its clock offset.
 */
import type { KeyObject } from 'node:crypto';
import type { EntitlementRequest, EntitlementStatus } from '#protocol';
import type { DeviceLog } from '../events/device-log.ts';
import type { SmartCloudClient } from './cloud-client/smart-cloud-client.ts';

/** What the agent needs of the cloud: SmartCloudClient, or a stand-in (benchmarks' bare runs, unit tests). */
export type SmartCloud = Pick<SmartCloudClient, 'register' | 'authorize' | 'renewId' | 'deregister' | 'reportUsage'>;
import type { Attempt, AuthorizationStatus } from './smart-view.ts';
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
  auth: {
    status: Exclude<AuthorizationStatus, 'none' | 'eval' | 'evalExpired'> | 'none';
    since?: number;
    lastAttempt?: Attempt;
    nextAt?: number;
    deadline?: number;
    answers: readonly EntitlementAnswer[];
  };
}

/** What the machine reaches outside itself: given by the device, never serialised. */
export interface SmartPorts {
  cloud: SmartCloud;
  log: DeviceLog;
  key: KeyObject;
  publicKeySpkiB64: string;
  /** Lab time. */
  now(): number;
  /** Device time (lab time + clock offset): request timestamps, clock-range checks. */
  deviceNow(): number;
  hostname(): string;
  softwareVersion: string;
  udi: { pid: string; sn: string };
  udiString: string;
}

export interface SmartContext {
  record: SmartRecord;
  ports: SmartPorts;
  timers: SmartTimers;
  /** Entitlements the running configuration uses (boot level, add-on, features). */
  entitlements: readonly (EntitlementRequest & { feature: string; exportControlled: boolean })[];
  /** Lab time the current eval segment started (in eval only). */
  evalSegmentStart?: number;
  /** Registration retry series: first failure time, next attempt. */
  registrationFailedSince?: number;
  nextRegistrationAt?: number;
  /** The token and force flag of the registration in progress (not stored: IOS does not keep tokens). */
  pendingRegistration?: { idToken: string; force: boolean };
  /** Consecutive failures of the renewal being retried (auth or ID), for the back-off. */
  authFailures: number;
  idFailures: number;
  nextIdRetryAt?: number;
  /** A communication failure was logged and not yet followed by a success (COMM_RESTORED). */
  commFailing: boolean;
  /** Lab time the clock left the certificate's validity (REG_EXPIRED_CLOCK_CHANGE grace). */
  clockOutOfRangeSince?: number;
}

export function newSmartRecord(keyPem: string): SmartRecord {
  return { enabled: true, keyPem, evalUsedMs: 0, auth: { status: 'none', answers: [] } };
}
