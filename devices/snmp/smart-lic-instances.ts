/**
 * The readable CISCO-SMART-LIC-MIB of a device, from its SmartLicensingView: the scalars (instance `.0`)
 * and one ciscoSlaEntitlementInfoTable row per entitlement in use (index from 1, as in real walks,
 * traditional-licensing-snmp-platforms.md B.3.2). What the view does not hold is left out.
 */
import { udiString } from '#protocol';
import { authorizationText } from '../cli/smart-strings.ts';
import type { Attempt, RegistrationStatus, SmartLicensingView } from '../licensing/smart-view.ts';
import type { MibInstance } from './mib-table.ts';
import { enumValue } from './mib-notification.ts';
import { enforceMode, registrationStatus, smartLicObjects, type SmartLicObjectName } from './smart-lic-mib.ts';

const REGISTRATION: Readonly<Record<RegistrationStatus, keyof typeof registrationStatus>> = {
  unregistered: 'notRegistered',
  inProgress: 'registrationInProgress',
  failed: 'registrationFailed',
  retrying: 'registrationRetryinProgress',
  registered: 'registrationCompleted',
};

/** TruthValue (SNMPv2-TC). */
export const truth = (b: boolean): number => (b ? 1 : 2);
/** Device-clock epoch ms as the MIB's `UTC epoch seconds` (Unsigned32). */
const epochSeconds = (t: number): number => Math.min(0xffffffff, Math.max(0, Math.floor(t / 1000)));

export interface SmartLicMibOptions {
  /** ciscoSlaGlobalNotifEnable / ciscoSlaEntitlementNotifEnable; the MIB's DEFVAL is true. */
  notificationsEnabled?: boolean;
}

export function smartLicInstances(view: SmartLicensingView, options: SmartLicMibOptions = {}): MibInstance[] {
  const out: MibInstance[] = [];
  const put = (name: SmartLicObjectName, instance: number, value: number | string | undefined): void => {
    const { oid, type } = smartLicObjects[name];
    if (value !== undefined && type !== null) out.push({ object: oid, instance: [instance], type, value });
  };
  const scalar = (name: SmartLicObjectName, value: number | string | undefined): void => put(name, 0, value);
  const time = (name: SmartLicObjectName, t: number | undefined): void =>
    scalar(name, t === undefined ? undefined : epochSeconds(t));
  const attempt = (init: SmartLicObjectName, success: SmartLicObjectName, reason: SmartLicObjectName, a?: Attempt) => {
    if (!a) return;
    time(init, a.at);
    scalar(success, truth(a.ok));
    if (!a.ok) scalar(reason, a.reason);
  };

  const r = view.registration;
  const a = view.authorization;
  scalar('ciscoSlaSUDIInfo', udiString(view.udi));
  scalar('ciscoSlaVersion', view.agentVersion);
  scalar('ciscoSlaEnabled', truth(view.enabled));
  view.entitlements.forEach((e, i) => {
    const row = i + 1;
    put('ciscoSlaEntitlementRequestCount', row, e.count);
    put('ciscoSlaEntitlementTag', row, e.tag);
    put('ciscoSlaEntitlementVersion', row, e.version);
    // Reserved (§3.4): reservedAuthorized(11), or notAuthorized(13) for a license the code does not hold.
    const mode = e.reserved === undefined ? e.enforceMode : e.reserved === 0 ? 'notAuthorized' : 'reservedAuthorized';
    put('ciscoSlaEntitlementEnforceMode', row, enumValue('ciscoSlaEntitlementEnforceMode', enforceMode, mode));
    // Blank until the cloud named the licence (smart-view.ts): not known yet, so not served.
    put('ciscoSlaEntitlementDescription', row, e.description || undefined);
    // "The short feature name used by CSSM" (MIB DESCRIPTION).
    put('ciscoSlaEntitlementFeatureName', row, e.shortName);
    // true(1) when not export restricted, or restricted and allowed (MIB enum comments; `show license usage`).
    put('ciscoSlaEntitlementExportAllowed', row, !e.exportControlled || r.exportControlled ? 1 : 0);
  });
  scalar('ciscoSlaRegistrationStatus', registrationStatus[REGISTRATION[r.status]]);
  scalar('ciscoSlaVirtualAccount', r.virtualAccount);
  time('ciscoSlaNextCertificateExpireTime', r.registrationExpires);
  scalar('ciscoSlaEnterpriseAccountName', r.smartAccount);
  attempt(
    'ciscoSlaRegisterInitTime',
    'ciscoSlaRegisterSuccess',
    'ciscoSlaRegisterFailureReason',
    r.initialRegistration,
  );
  time('ciscoSlaRegisterNextRetryTime', r.nextRegistrationAttempt);
  attempt('ciscoSlaRenewInitTime', 'ciscoSlaRenewSuccess', 'ciscoSlaRenewFailureReason', r.lastRenewalAttempt);
  time('ciscoSlaRenewNextRetryTime', r.nextRenewalAttempt);
  time('ciscoSlaAuthExpireTime', a.communicationDeadline);
  // The `show license status` words without the date (real walks: `AUTHORIZED`).
  scalar('ciscoSlaAuthComplianceStatus', authorizationText(view, undefined));
  if (a.status === 'outOfCompliance') time('ciscoSlaAuthOOCStartTime', a.since);
  scalar('ciscoSlaAuthEvalPeriodInUse', truth(a.status === 'eval'));
  time('ciscoSlaAuthEvalExpiredTime', a.evaluationExpiredAt);
  // Units are not stated by the MIB; seconds like every other time object (reference B.3.2, unconfirmed).
  scalar('ciscoSlaAuthEvalPeriodLeft', Math.floor(a.evaluationRemainingMs / 1000));
  attempt(
    'ciscoSlaAuthRenewInitTime',
    'ciscoSlaAuthRenewSuccess',
    'ciscoSlaAuthRenewFailureReason',
    a.lastCommunicationAttempt,
  );
  time('ciscoSlaAuthRenewNextRetryTime', a.nextCommunicationAttempt);
  const notify = truth(options.notificationsEnabled ?? true);
  scalar('ciscoSlaGlobalNotifEnable', notify);
  scalar('ciscoSlaEntitlementNotifEnable', notify);
  return out;
}
