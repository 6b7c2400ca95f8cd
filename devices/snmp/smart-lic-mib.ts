/**
 * CISCO-SMART-LIC-MIB (ciscoMgmt 831, devices/snmp/mibs/CISCO-SMART-LIC-MIB.my, 2021 revision): object
 * and notification OIDs, enums, and notification builders. Unusual tree: objects under `.831.0`,
 * notifications under `.831.1` (no `.0` arc), conformance under `.831.2`.
 */
import type { SnmpNotification, VarbindType } from '../events/device-event.ts';
import {
  buildNotification,
  enumValue,
  missingContext,
  type MibObject,
  type NotificationType,
  type VarbindValue,
} from './mib-notification.ts';

export const CISCO_SMART_LIC_MIB = '1.3.6.1.4.1.9.9.831';
/** ciscoSlaMIBObjects ::= { ciscoSmartLicMIB 0 } */
export const CISCO_SLA_MIB_OBJECTS = `${CISCO_SMART_LIC_MIB}.0`;
/** ciscoSlaMIBNotifs ::= { ciscoSmartLicMIB 1 } */
export const CISCO_SLA_MIB_NOTIFS = `${CISCO_SMART_LIC_MIB}.1`;

const o = (arcs: string, type: VarbindType | null): MibObject => ({ oid: `${CISCO_SLA_MIB_OBJECTS}.${arcs}`, type });
const S = 'OctetString'; // SnmpAdminString
const U = 'Unsigned32';
const I = 'Integer'; // INTEGER enums, TruthValue, Integer32

/** Every OBJECT-TYPE of the module. */
export const smartLicObjects = {
  ciscoSlaInstanceId: o('1', U),
  ciscoSlaSUDIInfo: o('2', S),
  ciscoSlaVersion: o('3', S),
  ciscoSlaEnabled: o('4', I),
  ciscoSlaEntitlementInfoTable: o('5.1', null),
  ciscoSlaEntitlementInfoEntry: o('5.1.1', null),
  ciscoSlaEntitlementInfoIndex: o('5.1.1.1', null),
  ciscoSlaEntitlementRequestCount: o('5.1.1.2', U),
  ciscoSlaEntitlementTag: o('5.1.1.3', S),
  ciscoSlaEntitlementVersion: o('5.1.1.4', S),
  ciscoSlaEntitlementEnforceMode: o('5.1.1.5', I),
  ciscoSlaEntitlementDescription: o('5.1.1.6', S),
  ciscoSlaEntitlementFeatureName: o('5.1.1.7', S),
  ciscoSlaEntitlementExportAllowed: o('5.1.1.8', I),
  ciscoSlaRegistrationStatus: o('6.1', I),
  ciscoSlaVirtualAccount: o('6.2', S),
  ciscoSlaNextCertificateExpireTime: o('6.3', U),
  ciscoSlaEnterpriseAccountName: o('6.4', S),
  ciscoSlaRegisterInitTime: o('6.5.1', U),
  ciscoSlaRegisterSuccess: o('6.5.2', I),
  ciscoSlaRegisterFailureReason: o('6.5.3', S),
  ciscoSlaRegisterNextRetryTime: o('6.5.4', U),
  ciscoSlaRenewInitTime: o('6.6.1', U),
  ciscoSlaRenewSuccess: o('6.6.2', I),
  ciscoSlaRenewFailureReason: o('6.6.3', S),
  ciscoSlaRenewNextRetryTime: o('6.6.4', U),
  ciscoSlaAuthExpireTime: o('7.1', U),
  ciscoSlaAuthComplianceStatus: o('7.2', S),
  ciscoSlaAuthOOCStartTime: o('7.3', U),
  ciscoSlaAuthEvalPeriodInUse: o('7.4.1', I),
  ciscoSlaAuthEvalExpiredTime: o('7.4.2', U),
  ciscoSlaAuthEvalPeriodLeft: o('7.4.3', U),
  ciscoSlaAuthRenewInitTime: o('7.5.1', U),
  ciscoSlaAuthRenewSuccess: o('7.5.2', I),
  ciscoSlaAuthRenewFailureReason: o('7.5.3', S),
  ciscoSlaAuthRenewNextRetryTime: o('7.5.4', U),
  ciscoSlaGlobalNotifEnable: o('8.1', I),
  ciscoSlaEntitlementNotifEnable: o('8.2', I),
  ciscoSlaFailureReason: o('9.1', I),
  ciscoSlaDeRegisterFailureMsg: o('9.2', S),
  ciscoSlaThirdPartyAndUtilityFailureMsg: o('10.1', S),
  ciscoSlaExportFailureReason: o('11.1', I),
  ciscoSlaExportFailureMessage: o('11.2', S),
  ciscoSlaDaysRUMAckNotReceived: o('12.1', U),
  ciscoSlaDaysReportingRequired: o('12.2', U),
  ciscoSlaPolicyModeFailureMessage: o('13.1', S),
  ciscoSlaPolicyModeInitialACKState: o('13.2', I),
} as const satisfies Record<string, MibObject>;

export type SmartLicObjectName = keyof typeof smartLicObjects;

const n = (arc: number, objects: readonly SmartLicObjectName[]): NotificationType<SmartLicObjectName> => ({
  oid: `${CISCO_SLA_MIB_NOTIFS}.${arc}`,
  objects,
});

/** All 53 NOTIFICATION-TYPEs with their OBJECTS clauses, in MIB order. */
export const smartLicNotifications = {
  ciscoSlaSmartAgentNotifyEnforcementMode: n(1, ['ciscoSlaSUDIInfo', 'ciscoSlaEntitlementEnforceMode']),
  ciscoSlaSmartAgentNotifyReady: n(2, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyEnabled: n(3, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyDisabled: n(4, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyRegisterFailed: n(5, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyRegisterSuccess: n(6, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyIdCertExpired: n(7, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyIdCertRenewSuccess: n(8, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyIdCertRenewFail: n(9, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyAuthRenewSuccess: n(10, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyAuthRenewFail: n(11, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyCommunicationFailure: n(12, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyCommunicationRestored: n(13, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyIdCertRenewNotStarted: n(14, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyEntitlementEnforceMode: n(15, [
    'ciscoSlaEntitlementRequestCount',
    'ciscoSlaEntitlementTag',
    'ciscoSlaEntitlementVersion',
    'ciscoSlaEntitlementEnforceMode',
    'ciscoSlaSUDIInfo',
  ]),
  ciscoSlaSmartAgentNotifyIdCertOutOfRange: n(16, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifySystemClockChanged: n(17, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyEvalExpiryWarning: n(18, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyEvalExpired: n(19, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyIdCertExpiryWarning: n(20, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyDeRegisterSuccess: n(21, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyDeRegisterFailed: n(22, [
    'ciscoSlaSUDIInfo',
    'ciscoSlaFailureReason',
    'ciscoSlaDeRegisterFailureMsg',
  ]),
  ciscoSlaSmartAgentNotifyThirdpartyModeEnabled: n(23, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyThirdpartyModeDisabled: n(24, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyUtilityCertExpired: n(25, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyUtilityCertRenewFailed: n(26, ['ciscoSlaSUDIInfo', 'ciscoSlaThirdPartyAndUtilityFailureMsg']),
  ciscoSlaSmartAgentNotifyUtilityCertRenewSuccess: n(27, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyUtilityDataReportingStarted: n(28, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyUtilityDataReportingStopped: n(29, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyUtilitySendRUMFailed: n(30, ['ciscoSlaSUDIInfo', 'ciscoSlaThirdPartyAndUtilityFailureMsg']),
  ciscoSlaSmartAgentNotifyUtilityCertFQDNMismatch: n(31, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifySmartTransportNotConfigured: n(32, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyHostnameMatchedWithUDI: n(33, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyExportRequestFailure: n(34, [
    'ciscoSlaSUDIInfo',
    'ciscoSlaEntitlementFeatureName',
    'ciscoSlaEntitlementTag',
    'ciscoSlaExportFailureMessage',
  ]),
  ciscoSlaSmartAgentNotifyExportHAMismatch: n(35, [
    'ciscoSlaSUDIInfo',
    'ciscoSlaExportFailureReason',
    'ciscoSlaExportFailureMessage',
  ]),
  ciscoSlaSmartAgentNotifyExportAuthKeyNotSupported: n(36, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyExportControlledTag: n(37, [
    'ciscoSlaSUDIInfo',
    'ciscoSlaEntitlementTag',
    'ciscoSlaEntitlementExportAllowed',
  ]),
  ciscoSlaSmartAgentNotifyEndPointReset: n(38, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyExportRequestSuccess: n(39, [
    'ciscoSlaSUDIInfo',
    'ciscoSlaEntitlementFeatureName',
    'ciscoSlaEntitlementTag',
  ]),
  ciscoSlaSmartAgentNotifyAuthorizationInstall: n(40, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyAuthorizationRemove: n(41, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyPolicyInstalled: n(42, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyPolicyRemoved: n(43, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyRUMACKNotReceived: n(44, ['ciscoSlaSUDIInfo', 'ciscoSlaDaysRUMAckNotReceived']),
  ciscoSlaSmartAgentNotifyRUMACKReceived: n(45, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyAuthorizationInstallFailed: n(46, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyReportingRequired: n(47, ['ciscoSlaSUDIInfo', 'ciscoSlaDaysReportingRequired']),
  ciscoSlaSmartAgentNotifyPolicyInstallFailed: n(48, ['ciscoSlaSUDIInfo', 'ciscoSlaPolicyModeFailureMessage']),
  ciscoSlaSmartAgentNotifyPolicyInstallSuccess: n(49, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyReportingNotSupported: n(50, ['ciscoSlaSUDIInfo']),
  ciscoSlaSmartAgentNotifyTrustInstallSuccess: n(51, ['ciscoSlaSUDIInfo']),
  // The MIB gives this one no OBJECTS clause.
  ciscoSlaSmartAgentNotifyTrustInstallFailed: n(52, []),
  ciscoSlaSmartAgentNotifyPolicyInitialACKState: n(53, ['ciscoSlaSUDIInfo', 'ciscoSlaPolicyModeInitialACKState']),
} as const satisfies Record<string, NotificationType<SmartLicObjectName>>;

export type SmartLicNotificationName = keyof typeof smartLicNotifications;

/** ciscoSlaRegistrationStatus (.0.6.1). */
export const registrationStatus = {
  notRegistered: 1,
  registrationInProgress: 2,
  registrationFailed: 3,
  registrationRetryinProgress: 4,
  registrationCompleted: 5,
} as const;

/** ciscoSlaEntitlementEnforceMode (.0.5.1.1.5), 2021 MIB (the 2016 MIB had gracePeriod(8), invalidTag(11)). */
export const enforceMode = {
  initialized: 1,
  waiting: 2,
  authorized: 3,
  outOfCompliance: 4,
  overage: 5,
  evaluationPeriod: 6,
  evaluationExpired: 7,
  authorizationExpired: 8,
  gracePeriodExpired: 9,
  disabled: 10,
  reservedAuthorized: 11,
  invalidTag: 12,
  notAuthorized: 13,
  notApplicable: 14,
  inUse: 15,
  notInUse: 16,
} as const;
export type EnforceMode = keyof typeof enforceMode;

/** ciscoSlaFailureReason (.0.9.1). */
export const failureReason = { invalid: 0, alreadyRegistered: 1, dailyJobTimerReset: 2, deRegisterFailure: 3 } as const;
export type FailureReason = keyof typeof failureReason;

/** ciscoSlaPolicyModeInitialACKState (.0.13.2, Integer32 with the values its DESCRIPTION lists). */
export const initialAckState = {
  invalid: 0,
  ackNotRequired: 1,
  reportNotRequired: 2,
  received: 3,
  notReceived: 4,
  expired: 5,
} as const;
export type InitialAckState = keyof typeof initialAckState;

/** A row of ciscoSlaEntitlementInfoTable (INDEX ciscoSlaEntitlementInfoIndex, from 1 as in real walks). */
export interface SmartLicEntitlementRow {
  index: number;
  requestCount: number;
  tag: string;
  version: string;
  enforceMode: EnforceMode;
  featureName: string;
  exportAllowed: boolean;
}

/** What a notification's varbinds are built from; each notification reads only what its OBJECTS name. */
export interface SmartLicTrapContext {
  /** ciscoSlaSUDIInfo: `PID:<pid>,SN:<sn>`. */
  udi: string;
  /** Table columns, instance `.<index>`. */
  entitlement?: SmartLicEntitlementRow;
  /** The agent's overall mode for ciscoSlaSmartAgentNotifyEnforcementMode (.1.1). */
  overallEnforceMode?: EnforceMode;
  failureReason?: FailureReason;
  /**
   * ciscoSlaDeRegisterFailureMsg, ciscoSlaThirdPartyAndUtilityFailureMsg, ciscoSlaExportFailureMessage or
   * ciscoSlaPolicyModeFailureMessage.
   */
  failureMessage?: string;
  /** ciscoSlaExportFailureReason (Integer32: 0 Invalid, 1 AlreadyRegistered, 2 DailyJobTimerReset, 3 Deregister). */
  exportFailureReason?: number;
  /** ciscoSlaDaysRUMAckNotReceived or ciscoSlaDaysReportingRequired. */
  days?: number;
  initialAckState?: InitialAckState;
}

const SCALAR = '0';

/** The notification `name` with varbinds in OBJECTS order and instance suffixes (scalars `.0`, columns `.<index>`). */
export function smartLicNotification(name: SmartLicNotificationName, context: SmartLicTrapContext): SnmpNotification {
  const notification = smartLicNotifications[name];
  if (!notification)
    throw new Error(
      `unknown CISCO-SMART-LIC-MIB notification '${String(name)}'; valid: ${Object.keys(smartLicNotifications).join(', ')}`,
    );
  const need = <T>(value: T | undefined, object: string, field: string): T => {
    if (value === undefined) throw missingContext(name, object, field);
    return value;
  };
  const row = (object: SmartLicObjectName, pick: (e: SmartLicEntitlementRow) => string | number): VarbindValue => {
    const e = need(context.entitlement, object, 'entitlement');
    return { value: pick(e), instance: String(e.index) };
  };
  const scalar = (value: string | number): VarbindValue => ({ value, instance: SCALAR });
  return buildNotification(name, notification, smartLicObjects, (object) => {
    switch (object) {
      case 'ciscoSlaSUDIInfo':
        return scalar(context.udi);
      case 'ciscoSlaEntitlementEnforceMode':
        // In the global notification (.1.1) the object carries the overall mode; the MIB gives no row,
        // so the lab uses `.0` (traditional-licensing-snmp-platforms.md B.3.3 notes: unconfirmed).
        if (name === 'ciscoSlaSmartAgentNotifyEnforcementMode') {
          return scalar(
            enumValue(
              'ciscoSlaEntitlementEnforceMode',
              enforceMode,
              need(context.overallEnforceMode, object, 'overallEnforceMode'),
            ),
          );
        }
        return row(object, (e) => enumValue('ciscoSlaEntitlementEnforceMode', enforceMode, e.enforceMode));
      case 'ciscoSlaEntitlementRequestCount':
        return row(object, (e) => e.requestCount);
      case 'ciscoSlaEntitlementTag':
        return row(object, (e) => e.tag);
      case 'ciscoSlaEntitlementVersion':
        return row(object, (e) => e.version);
      case 'ciscoSlaEntitlementFeatureName':
        return row(object, (e) => e.featureName);
      case 'ciscoSlaEntitlementExportAllowed':
        return row(object, (e) => (e.exportAllowed ? 1 : 0));
      case 'ciscoSlaFailureReason':
        return scalar(
          enumValue('ciscoSlaFailureReason', failureReason, need(context.failureReason, object, 'failureReason')),
        );
      case 'ciscoSlaDeRegisterFailureMsg':
      case 'ciscoSlaThirdPartyAndUtilityFailureMsg':
      case 'ciscoSlaExportFailureMessage':
      case 'ciscoSlaPolicyModeFailureMessage':
        return scalar(need(context.failureMessage, object, 'failureMessage'));
      case 'ciscoSlaExportFailureReason':
        return scalar(need(context.exportFailureReason, object, 'exportFailureReason'));
      case 'ciscoSlaDaysRUMAckNotReceived':
      case 'ciscoSlaDaysReportingRequired':
        return scalar(need(context.days, object, 'days'));
      case 'ciscoSlaPolicyModeInitialACKState':
        return scalar(
          enumValue(
            'ciscoSlaPolicyModeInitialACKState',
            initialAckState,
            need(context.initialAckState, object, 'initialAckState'),
          ),
        );
      default:
        throw new Error(`${name}: no value source for ${object}`);
    }
  });
}
