/**
 * The Smart Licensing agent's state as the CLI and SNMP read it: plain data, derived from the machine's
 * snapshot by smart-view-of.ts, so `show license …` formatters are pure functions of it.
 * All times are device-clock epoch ms (lab clock + the device's clock offset).
 */
import type { Udi } from '#protocol';

/** CISCO-SMART-LIC-MIB ciscoSlaRegistrationStatus, and the CLI string each prints (smart-licensing.md §3.2). */
export type RegistrationStatus =
  /** `UNREGISTERED`, notRegistered(1) */
  | 'unregistered'
  /** `REGISTERING - REGISTRATION IN PROGRESS`, registrationInProgress(2) */
  | 'inProgress'
  /** `UNREGISTERED - REGISTRATION FAILED`, registrationFailed(3): the cloud refused, no retry */
  | 'failed'
  /** `UNREGISTERED - REGISTRATION FAILED` while a retry is scheduled, registrationRetryinProgress(4) */
  | 'retrying'
  /** `REGISTERED`, registrationCompleted(5) */
  | 'registered';

/** ciscoSlaAuthComplianceStatus / `License Authorization: Status:` (§3.3). */
export type AuthorizationStatus =
  /** nothing requested: `No licenses in use` */
  | 'none'
  /** `EVAL MODE` */
  | 'eval'
  /** `EVAL EXPIRED` */
  | 'evalExpired'
  /** registered, request sent, no answer yet: `AUTHORIZATION PENDING` (lab choice, no capture) */
  | 'pending'
  /** `AUTHORIZED on <date>` */
  | 'authorized'
  /** `OUT OF COMPLIANCE on <date>` */
  | 'outOfCompliance'
  /** `AUTHORIZATION EXPIRED on <date>` */
  | 'authorizationExpired';

/** Per-entitlement state, MIB ciscoSlaEntitlementEnforceMode (§3.4) names. */
export type EnforceMode =
  | 'waiting'
  | 'authorized'
  | 'outOfCompliance'
  | 'evaluationPeriod'
  | 'evaluationExpired'
  | 'authorizationExpired'
  | 'invalidTag'
  | 'disabled';

/** License reservation as `show license reservation` prints it (§8.2, tech-support `Reservation Info`). */
export interface ReservationView {
  /** `license smart reservation` configured. */
  enabled: boolean;
  /** `NOT INSTALLED`, `SPECIFIC INSTALLED`, `UNIVERSAL INSTALLED`. */
  status: 'notInstalled' | 'specific' | 'universal';
  requestCode?: string;
  lastReturnCode?: string;
  lastConfirmationCode?: string;
  authorizationCode?: string;
  /** Device-clock time the code was installed. */
  installedAt?: number;
  /** What a SPECIFIC code reserves (PLR: everything, none listed). */
  licenses: readonly { tag: string; shortName: string; description: string; quantity: number }[];
}

/**
 * Device-led conversion as `show license status` prints it under License Conversion: shown once the box
 * holds traditional licenses (`licenses`) or has converted them. Times are device-clock.
 */
export interface ConversionView {
  status: 'notStarted' | 'inProgress' | 'succeeded' | 'failed';
  at?: number;
  reason?: string;
  licenses: readonly { feature: string; tag: string; source: 'PAK' | 'RTU' }[];
}

export interface Attempt {
  ok: boolean;
  at: number;
  /** IOS failure reason, e.g. `Fail to send out Call Home HTTP message.` */
  reason?: string;
}

export interface EntitlementInUse {
  tag: string;
  /** Short name between `com.cisco.` and `,` (`C9300-DNA-E-48`). */
  shortName: string;
  /** License description from the cloud catalogue (`C9300-48 DNA Essentials`); blank until the cloud named it. */
  description: string;
  /** Feature / level keyword (`dna-essentials`). */
  feature: string;
  count: number;
  version: string;
  enforceMode: EnforceMode;
  exportControlled: boolean;
  /**
   * With a reservation installed: how many it reserves (`all` under PLR; 0: not in the code, NOT
   * AUTHORIZED, §8.2). The MIB reads reservedAuthorized(11) / notAuthorized(13) from it.
   */
  reserved?: number | 'all';
}

export interface SmartLicensingView {
  enabled: boolean;
  transport: { type: 'Callhome' | 'Smart'; url: string };
  registration: {
    status: RegistrationStatus;
    smartAccount?: string;
    virtualAccount?: string;
    exportControlled: boolean;
    initialRegistration?: Attempt;
    lastRenewalAttempt?: Attempt;
    nextRenewalAttempt?: number;
    /** Next registration retry while `retrying`. */
    nextRegistrationAttempt?: number;
    registrationExpires?: number;
  };
  authorization: {
    status: AuthorizationStatus;
    /** When the status was entered (`AUTHORIZED on …`). */
    since?: number;
    lastCommunicationAttempt?: Attempt;
    nextCommunicationAttempt?: number;
    communicationDeadline?: number;
    /** Evaluation time left, ms (90 days at first boot; counts only while in eval). */
    evaluationRemainingMs: number;
    /** Set once the evaluation period is used up. */
    evaluationExpiredAt?: number;
  };
  entitlements: readonly EntitlementInUse[];
  /**
   * Reservation (SLR / PLR). Installed, the registration status is `registered` and the authorization
   * `authorized` (what the lab's fleet counts), printed `REGISTERED - SPECIFIC LICENSE RESERVATION` and
   * `AUTHORIZED - RESERVED`.
   */
  reservation?: ReservationView;
  conversion?: ConversionView;
  udi: Udi;
  /** `Smart Agent for Licensing: 4.8.5.4_rel/22`-style version string. */
  agentVersion: string;
}
