/**
 * How each answer of the cloud changes what the agent keeps: pure functions of the record, the answer and
 * the lab time, so the chart's actions are one line each and these rules are testable alone.
 */
import type { AuthorizeResponse, RegisterResponse, RenewIdResponse } from '#protocol';
import type { CloudResult } from './cloud-client/cloud-result.ts';
import { commRetryDelay } from './schedules.ts';
import type { SmartIdentity, SmartRecord } from './smart-context.ts';
import type { SmartTimers } from './smart-timers.ts';

/** What a device logs when the cloud did not answer within the request timeout. */
export const TIMEOUT_REASON = 'Communication message send error';

export const failureReason = (r: CloudResult<unknown>): string => (r.ok ? '' : r.reason);

export const isCommFailure = (r: CloudResult<unknown>): boolean => !r.ok && r.kind === 'comm';

/** Cloud refusals that mean the cloud no longer knows this registration: the device is unregistered. */
const IDENTITY_GONE = new Set([
  'CERTIFICATE_UNKNOWN',
  'CERTIFICATE_EXPIRED',
  'IDENTITY_MISMATCH',
  'INSTANCE_NOT_FOUND',
]);

export const isIdentityGone = (r: CloudResult<unknown>): boolean =>
  !r.ok && r.kind === 'refused' && IDENTITY_GONE.has(r.code);

/** A successful registration: the new identity, and authorization starting over (pending). */
export function registeredRecord(record: SmartRecord, r: RegisterResponse, now: number, timers: SmartTimers) {
  const identity: SmartIdentity = {
    certificatePem: r.idCertificate,
    certificateSerial: r.certificateSerial,
    notBefore: Date.parse(r.notBefore),
    notAfter: Date.parse(r.notAfter),
    smartAccount: r.smartAccount.name,
    virtualAccount: r.virtualAccount,
    exportControlled: r.exportControlled,
    registeredAt: now,
    nextIdRenewalAt: now + timers.idRenewal,
  };
  return {
    ...record,
    identity,
    initialRegistration: { ok: true, at: now },
    lastIdRenewal: undefined,
    auth: { status: 'pending', answers: [] },
  } satisfies SmartRecord;
}

/** An answered authorization: the cloud's deadline, the next renewal on the cadence of the new status. */
export function authorizedRecord(record: SmartRecord, r: AuthorizeResponse, now: number, timers: SmartTimers) {
  const ooc = r.status === 'OUT_OF_COMPLIANCE';
  return {
    ...record,
    auth: {
      status: record.auth.status,
      since: now,
      lastAttempt: { ok: true, at: now },
      nextAt: now + (ooc ? timers.oocRenewal : timers.authRenewal),
      deadline: Date.parse(r.validUntil),
      answers: r.entitlements.map(({ tag, name, status }) => ({ tag, name, status })),
    },
  } satisfies SmartRecord;
}

/** A failed renewal: kept authorization, the retry `failures` steps into the back-off. */
export function authFailedRecord(record: SmartRecord, reason: string, now: number, failures: number, t: SmartTimers) {
  const auth = {
    ...record.auth,
    lastAttempt: { ok: false, at: now, reason },
    nextAt: now + commRetryDelay(failures, t),
  };
  return { ...record, auth } satisfies SmartRecord;
}

export function idRenewedRecord(record: SmartRecord, r: RenewIdResponse, now: number, timers: SmartTimers) {
  if (!record.identity) return record;
  return {
    ...record,
    identity: {
      ...record.identity,
      certificatePem: r.idCertificate,
      certificateSerial: r.certificateSerial,
      notBefore: Date.parse(r.notBefore),
      notAfter: Date.parse(r.notAfter),
      nextIdRenewalAt: now + timers.idRenewal,
    },
    lastIdRenewal: { ok: true, at: now },
  } satisfies SmartRecord;
}

/** Deregistered, expired or forgotten by the cloud: back to a device that never registered (eval time kept). */
export function unregisteredRecord(record: SmartRecord): SmartRecord {
  return {
    ...record,
    identity: undefined,
    initialRegistration: undefined,
    lastIdRenewal: undefined,
    auth: { status: 'none', answers: [] },
  };
}
