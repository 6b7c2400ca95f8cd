/**
 * The machine's snapshot as the CLI and SNMP read it (SmartLicensingView). The only place that knows
 * which state paths mean which `show license status` strings.
 */
import { tagShortName, findEntitlement } from '#protocol';
import type { SnapshotFrom } from 'xstate';
import { evalUsed, type SmartMachine } from './smart.machine.ts';
import type { SmartRecord } from './smart-context.ts';
import type { SmartTimers } from './smart-timers.ts';
import type {
  AuthorizationStatus,
  EnforceMode,
  EntitlementInUse,
  RegistrationStatus,
  SmartLicensingView,
} from './smart-view.ts';

export const SMART_AGENT_VERSION = '4.8.5.4_rel/22';
export const CALLHOME_URL = 'https://tools.cisco.com/its/service/oddce/services/DDCEService';
export const SMART_URL = 'https://smartreceiver.cisco.com/licservice/license';

type Snapshot = SnapshotFrom<SmartMachine>;

function registrationStatus(s: Snapshot): RegistrationStatus {
  if (s.matches({ enabled: 'registered' }) || s.matches({ enabled: 'deregistering' })) return 'registered';
  if (s.matches({ enabled: 'reregistering' })) return 'inProgress';
  if (s.matches({ enabled: { unregistered: { registration: 'inProgress' } } })) return 'inProgress';
  if (s.matches({ enabled: { unregistered: { registration: 'retrying' } } })) return 'retrying';
  if (s.matches({ enabled: { unregistered: { registration: 'failed' } } })) return 'failed';
  return 'unregistered';
}

function authorizationStatus(s: Snapshot): AuthorizationStatus {
  const c = s.context;
  if (s.matches({ enabled: { unregistered: { evaluation: 'active' } } })) return 'eval';
  if (s.matches({ enabled: { unregistered: { evaluation: 'expired' } } })) return 'evalExpired';
  if (s.matches('disabled') || s.matches({ enabled: 'unregistered' })) return 'none';
  return c.record.auth.status === 'none' ? 'pending' : c.record.auth.status;
}

const ENFORCE_OF_ANSWER = {
  AUTHORIZED: 'authorized',
  OUT_OF_COMPLIANCE: 'outOfCompliance',
  INVALID_TAG: 'invalidTag',
} as const;

function enforceMode(auth: AuthorizationStatus, answer: string | undefined): EnforceMode {
  switch (auth) {
    case 'eval':
      return 'evaluationPeriod';
    case 'evalExpired':
      return 'evaluationExpired';
    case 'authorizationExpired':
      return 'authorizationExpired';
    case 'authorized':
    case 'outOfCompliance':
      return answer ? ENFORCE_OF_ANSWER[answer as keyof typeof ENFORCE_OF_ANSWER] : 'waiting';
    case 'pending':
      return 'waiting';
    default:
      return 'disabled';
  }
}

/** `offsetMs` shifts lab times into the device clock's timeline. */
export function smartViewOf(s: Snapshot, offsetMs: number): SmartLicensingView {
  const c = s.context;
  const { record } = c;
  const now = c.ports.now();
  const shift = (t: number | undefined): number | undefined => (t === undefined ? undefined : t + offsetMs);
  const attempt = (a: typeof record.initialRegistration) =>
    a === undefined ? undefined : { ...a, at: a.at + offsetMs };
  const reg = registrationStatus(s);
  const auth = authorizationStatus(s);
  const id = record.identity;
  const answers = new Map(record.auth.answers.map((a) => [a.tag, a]));
  const entitlements: EntitlementInUse[] = c.entitlements.map((e) => {
    const answer = answers.get(e.tag);
    return {
      tag: e.tag,
      shortName: tagShortName(e.tag),
      description:
        answer?.name ?? (auth === 'eval' || auth === 'evalExpired' ? '' : (findEntitlement(e.tag)?.name ?? '')),
      feature: e.feature,
      count: e.count,
      version: '1.0',
      enforceMode: enforceMode(auth, answer?.status),
      exportControlled: e.exportControlled,
    };
  });
  const registered = reg === 'registered' || (reg === 'inProgress' && id !== undefined);
  return {
    enabled: record.enabled && !s.matches('disabled'),
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
      ...(reg === 'retrying' ? { nextRegistrationAttempt: shift(c.nextRegistrationAt) } : {}),
    },
    authorization: {
      status: auth,
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
    udi: c.ports.udi,
    agentVersion: SMART_AGENT_VERSION,
  };
}

/** The view of a device whose image runs traditional licensing (no Smart Agent running). */
export function disabledSmartView(
  udi: { pid: string; sn: string },
  record: SmartRecord,
  timers: SmartTimers,
): SmartLicensingView {
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
