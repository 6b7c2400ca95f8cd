/**
 * The agent's snapshot as the CLI and SNMP read it (SmartLicensingView): the one place that knows which
 * state of the chart means which `show license status` string. Statuses come from `snapshot.matches()`,
 * dates and counters from the context.
 */
import { findEntitlement, tagShortName, type Udi } from '#protocol';
import type { SnapshotFrom } from 'xstate';
import { evalUsed, type SmartContext, type SmartRecord } from './smart-context.ts';
import type { SmartMachine } from './smart.machine.ts';
import { NO_RESERVATION, reservationView, reservedCount } from './license-reservation.ts';
import type { SmartTimers } from './smart-timers.ts';
import type {
  AuthorizationStatus,
  ConversionView,
  EnforceMode,
  EntitlementInUse,
  RegistrationStatus,
  SmartLicensingView,
} from './smart-view.ts';

export const SMART_AGENT_VERSION = '4.8.5.4_rel/22';
export const CALLHOME_URL = 'https://tools.cisco.com/its/service/oddce/services/DDCEService';

export type SmartSnapshot = SnapshotFrom<SmartMachine>;

const COMPLIANCE = ['pending', 'authorized', 'outOfCompliance', 'authorizationExpired'] as const;

const isReserved = (s: SmartSnapshot): boolean => s.matches({ agent: { enabled: 'reserved' } });

function registrationStatus(s: SmartSnapshot): RegistrationStatus {
  if (
    s.matches({ agent: { enabled: 'registered' } }) ||
    s.matches({ agent: { enabled: 'deregistering' } }) ||
    isReserved(s)
  ) {
    return 'registered';
  }
  if (s.matches({ agent: { enabled: 'reregistering' } })) return 'inProgress';
  const registration = (r: 'inProgress' | 'retrying' | 'failed') =>
    s.matches({ agent: { enabled: { unregistered: { registration: r } } } });
  if (registration('inProgress')) return 'inProgress';
  if (registration('retrying')) return 'retrying';
  if (registration('failed')) return 'failed';
  return 'unregistered';
}

function authorizationStatus(s: SmartSnapshot): AuthorizationStatus {
  if (s.matches({ agent: { enabled: { unregistered: { evaluation: 'active' } } } })) return 'eval';
  if (s.matches({ agent: { enabled: { unregistered: { evaluation: 'expired' } } } })) return 'evalExpired';
  if (!s.matches({ agent: 'enabled' }) || s.matches({ agent: { enabled: 'unregistered' } })) return 'none';
  if (isReserved(s)) return 'authorized';
  const state = COMPLIANCE.find((c) => s.matches({ agent: { enabled: { registered: { authorization: c } } } }));
  // Re-registering or deregistering: the compliance state the agent left.
  const left = s.context.record.auth.status;
  return state ?? (left === 'none' ? 'pending' : left);
}

const ENFORCE_OF_ANSWER = {
  AUTHORIZED: 'authorized',
  OUT_OF_COMPLIANCE: 'outOfCompliance',
  INVALID_TAG: 'invalidTag',
} as const;

function enforceMode(auth: AuthorizationStatus, answer: keyof typeof ENFORCE_OF_ANSWER | undefined): EnforceMode {
  switch (auth) {
    case 'eval':
      return 'evaluationPeriod';
    case 'evalExpired':
      return 'evaluationExpired';
    case 'authorizationExpired':
      return 'authorizationExpired';
    case 'authorized':
    case 'outOfCompliance':
      return answer ? ENFORCE_OF_ANSWER[answer] : 'waiting';
    case 'pending':
      return 'waiting';
    default:
      return 'disabled';
  }
}

/** When a retrying registration tries again: its cadence state after the last failed attempt. */
function nextRegistrationAttempt(s: SmartSnapshot): number | undefined {
  const last = s.context.record.initialRegistration?.at;
  if (last === undefined) return undefined;
  const fast = s.matches({ agent: { enabled: { unregistered: { registration: { retrying: 'fast' } } } } });
  return last + (fast ? s.context.timers.registrationRetryFast : s.context.timers.registrationRetrySlow);
}

/** The view at lab time `now`; dates shifted into the device clock's timeline. */
export function smartViewOf(s: SmartSnapshot, now: number): SmartLicensingView {
  const c = s.context;
  const { record } = c;
  const offsetMs = c.device.clockOffsetMs;
  const shift = (t: number | undefined): number | undefined => (t === undefined ? undefined : t + offsetMs);
  const attempt = (a: typeof record.initialRegistration) =>
    a === undefined ? undefined : { ...a, at: a.at + offsetMs };
  const reg = registrationStatus(s);
  const auth = authorizationStatus(s);
  const id = record.identity;
  const answers = new Map(record.auth.answers.map((a) => [a.tag, a]));
  const reserved = isReserved(s);
  const entitlements: EntitlementInUse[] = c.entitlements.map((e) => {
    const answer = answers.get(e.tag);
    const inEval = auth === 'eval' || auth === 'evalExpired';
    const count = reservedCount(record.reservation ?? NO_RESERVATION, e.tag);
    return {
      tag: e.tag,
      shortName: tagShortName(e.tag),
      description: answer?.name ?? (inEval ? '' : (findEntitlement(e.tag)?.name ?? '')),
      feature: e.feature,
      count: e.count,
      version: '1.0',
      enforceMode: reserved ? (count === 0 ? 'waiting' : 'authorized') : enforceMode(auth, answer?.status),
      exportControlled: e.exportControlled,
      ...(reserved ? { reserved: count } : {}),
    };
  });
  const registered = reg === 'registered' || (reg === 'inProgress' && id !== undefined);
  const retryAt = reg === 'retrying' ? shift(nextRegistrationAttempt(s)) : undefined;
  return {
    enabled: record.enabled && s.matches({ agent: 'enabled' }),
    transport: { type: 'Callhome', url: CALLHOME_URL },
    registration: {
      status: reg,
      ...(registered && id ? { smartAccount: id.smartAccount, virtualAccount: id.virtualAccount } : {}),
      exportControlled: registered && id ? id.exportControlled : false,
      ...(record.initialRegistration ? { initialRegistration: attempt(record.initialRegistration) } : {}),
      ...(record.lastIdRenewal ? { lastRenewalAttempt: attempt(record.lastIdRenewal) } : {}),
      ...(registered && id
        ? { nextRenewalAttempt: shift(c.nextIdRetryAt ?? id.nextIdRenewalAt), registrationExpires: id.notAfter }
        : {}),
      ...(retryAt !== undefined ? { nextRegistrationAttempt: retryAt } : {}),
    },
    authorization: {
      status: auth,
      ...(reserved ? { since: shift(record.reservation?.installed?.installedAt) } : {}),
      ...(registered && record.auth.since !== undefined ? { since: shift(record.auth.since) } : {}),
      ...(registered && record.auth.lastAttempt ? { lastCommunicationAttempt: attempt(record.auth.lastAttempt) } : {}),
      ...(registered && record.auth.nextAt !== undefined
        ? { nextCommunicationAttempt: shift(record.auth.nextAt) }
        : {}),
      ...(registered && record.auth.deadline !== undefined ? { communicationDeadline: record.auth.deadline } : {}),
      evaluationRemainingMs: Math.max(0, c.timers.evaluationPeriod - evalUsed(c, now)),
      ...(record.evalExpiredAt !== undefined ? { evaluationExpiredAt: shift(record.evalExpiredAt) } : {}),
    },
    entitlements,
    reservation: reservationView(record.reservation ?? NO_RESERVATION, shift),
    ...(c.convertible.length > 0 || record.conversion ? { conversion: conversionView(c, shift) } : {}),
    udi: c.device.udi,
    agentVersion: SMART_AGENT_VERSION,
  };
}

function conversionView(c: SmartContext, shift: (t: number | undefined) => number | undefined): ConversionView {
  const r = c.record.conversion;
  return {
    status: r?.status ?? 'notStarted',
    ...(r ? { at: shift(r.at)! } : {}),
    ...(r?.reason !== undefined ? { reason: r.reason } : {}),
    licenses: c.convertible,
  };
}

/** The Smart view of a device whose image runs traditional licensing (no Smart Agent running). */
export function dormantSmartView(udi: Udi, record: SmartRecord, timers: SmartTimers): SmartLicensingView {
  return {
    enabled: false,
    transport: { type: 'Callhome', url: CALLHOME_URL },
    registration: { status: 'unregistered', exportControlled: false },
    authorization: { status: 'none', evaluationRemainingMs: Math.max(0, timers.evaluationPeriod - record.evalUsedMs) },
    entitlements: [],
    udi,
    agentVersion: SMART_AGENT_VERSION,
  };
}
