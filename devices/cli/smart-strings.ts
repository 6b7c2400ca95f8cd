/**
 * The CLI string of every Smart Licensing state (smart-licensing.md §3.2–3.4). Strings marked "no capture"
 * are the reference's "likely" strings or lab choices (reference README, "the project's choices").
 */
import type {
  Attempt,
  AuthorizationStatus,
  EnforceMode,
  EntitlementInUse,
  RegistrationStatus,
  SmartLicensingView,
} from '../licensing/smart-view.ts';

export const REGISTRATION_STATUS: Readonly<Record<RegistrationStatus, string>> = {
  unregistered: 'UNREGISTERED',
  /** no capture: the string the reference calls "often quoted" (§3.2) */
  inProgress: 'REGISTERING - REGISTRATION IN PROGRESS',
  /** no capture: AsyncOS's `Unregistered - Registration Failed` in IOS XE upper case (§3.2) */
  failed: 'UNREGISTERED - REGISTRATION FAILED',
  /** MIB registrationRetryinProgress(4) has no string of its own: IOS shows the failure while it retries */
  retrying: 'UNREGISTERED - REGISTRATION FAILED',
  registered: 'REGISTERED',
};

/** `Status:` under `License Authorization:`; `on` is the formatted date the status was entered. */
export function authorizationStatusText(status: AuthorizationStatus, on: string | undefined): string {
  const dated = (s: string): string => (on ? `${s} on ${on}` : s);
  switch (status) {
    case 'none':
      // no capture for the status line itself; `No licenses in use` is what `show license all` prints (§3.3)
      return 'No licenses in use';
    case 'eval':
      return 'EVAL MODE';
    case 'evalExpired':
      return 'EVAL EXPIRED'; // no capture: "likely" string (§3.3)
    case 'pending':
      return 'AUTHORIZATION PENDING'; // no capture: lab choice (smart-view.ts)
    case 'authorized':
      return dated('AUTHORIZED');
    case 'outOfCompliance':
      return dated('OUT OF COMPLIANCE');
    case 'authorizationExpired':
      return dated('AUTHORIZATION EXPIRED'); // no capture: "likely" string (§3.3), dated like its siblings
  }
}

/** Per-entitlement `Status:` (summary column, usage blocks). Only EVAL MODE / AUTHORIZED are captured (§4.3). */
export const ENFORCE_MODE: Readonly<Record<EnforceMode, string>> = {
  waiting: 'WAITING',
  authorized: 'AUTHORIZED',
  outOfCompliance: 'OUT OF COMPLIANCE',
  evaluationPeriod: 'EVAL MODE',
  evaluationExpired: 'EVAL EXPIRED',
  authorizationExpired: 'AUTHORIZATION EXPIRED',
  invalidTag: 'INVALID TAG',
  disabled: 'DISABLED',
};

/**
 * `SUCCEEDED on <date>`, or `FAILED on <date>` plus an indented `Failure reason:` line (no capture for the
 * failure form, §3.2 "likely"). `dated: false` is the 16.9 summary's bare `SUCCEEDED`.
 */
export function attemptLines(label: string, a: Attempt, date: (t: number) => string, dated = true): string[] {
  const outcome = a.ok ? 'SUCCEEDED' : 'FAILED';
  const head = `  ${label}: ${dated ? `${outcome} on ${date(a.at)}` : outcome}`;
  return a.ok || !a.reason ? [head] : [head, `    Failure reason: ${a.reason}`];
}

const RESERVED_REGISTRATION = {
  /** §8.2 (captured, agent 4.4.5) */
  specific: 'REGISTERED - SPECIFIC LICENSE RESERVATION',
  /** §3.2: "often given", unconfirmed */
  universal: 'REGISTERED - UNIVERSAL LICENSE RESERVATION',
} as const;

/** A reservation authorization code is installed (the agent's `reserved` state). */
export const isReservedView = (s: Pick<SmartLicensingView, 'reservation'>): boolean =>
  s.reservation !== undefined && s.reservation.status !== 'notInstalled';

/** `Registration: Status:` with a reservation installed or not. */
export function registrationText(s: Pick<SmartLicensingView, 'registration' | 'reservation'>): string {
  const r = s.reservation?.status;
  return r === 'specific' || r === 'universal' ? RESERVED_REGISTRATION[r] : REGISTRATION_STATUS[s.registration.status];
}

/**
 * `License Authorization: Status:`. Reserved: the MIB's `AUTHORIZED - RESERVED` (§3.3, ciscoSlaAuthComplianceStatus
 * example) with no date; the one SLR capture (agent 4.4.5) showed `NOT AUTHORIZED`, which later agents and
 * the MIB contradict (lab choice).
 */
export function authorizationText(
  s: Pick<SmartLicensingView, 'authorization' | 'reservation'>,
  on: string | undefined,
) {
  if (isReservedView(s)) return 'AUTHORIZED - RESERVED';
  return authorizationStatusText(s.authorization.status, on);
}

/** A license's `Status:`: reserved, `AUTHORIZED - RESERVED` or, not in the code, `NOT AUTHORIZED` (§8.2). */
export function entitlementStatusText(e: EntitlementInUse): string {
  if (e.reserved === undefined) return ENFORCE_MODE[e.enforceMode];
  return e.reserved === 0 ? 'NOT AUTHORIZED' : 'AUTHORIZED - RESERVED';
}
