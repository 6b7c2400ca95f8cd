/**
 * CISCO-LICENSE-MGMT-MIB (ciscoMgmt 543, devices/snmp/mibs/CISCO-LICENSE-MGMT-MIB.my): the traditional
 * licensing notifications (traditional-licensing-snmp-platforms.md B.2.3) and the objects they carry.
 * Notifications live under the usual `.543.0`.
 */
import { licenseTypes, type LicenseLineType } from '#protocol';
import type { SnmpNotification } from '../events/device-event.ts';
import {
  buildNotification,
  enumValue,
  missingContext,
  type MibObject,
  type NotificationType,
  type VarbindValue,
} from './mib-notification.ts';

export const CISCO_LICENSE_MGMT_MIB = '1.3.6.1.4.1.9.9.543';
/** ciscoLicenseMgmtMIBNotifs ::= { ciscoLicenseMgmtMIB 0 } */
export const CISCO_LICENSE_MGMT_MIB_NOTIFS = `${CISCO_LICENSE_MGMT_MIB}.0`;
/** clmgmtLicenseInfoEntry, INDEX { entPhysicalIndex, clmgmtLicenseStoreUsed, clmgmtLicenseIndex } */
const LICENSE_ENTRY = `${CISCO_LICENSE_MGMT_MIB}.1.2.3.1`;
/** clmgmtLicensableFeatureEntry, INDEX { entPhysicalIndex, clmgmtFeatureIndex } */
const FEATURE_ENTRY = `${CISCO_LICENSE_MGMT_MIB}.1.2.4.1`;

/** The OBJECT-TYPEs the notifications carry. */
export const licenseMgmtObjects = {
  clmgmtLicenseFeatureName: { oid: `${LICENSE_ENTRY}.3`, type: 'OctetString' },
  clmgmtLicenseFeatureVersion: { oid: `${LICENSE_ENTRY}.4`, type: 'OctetString' },
  clmgmtLicenseType: { oid: `${LICENSE_ENTRY}.5`, type: 'Integer' },
  clmgmtLicenseMaxUsageCount: { oid: `${LICENSE_ENTRY}.10`, type: 'Unsigned32' },
  clmgmtLicenseUsageCountRemaining: { oid: `${LICENSE_ENTRY}.11`, type: 'Unsigned32' },
  clmgmtLicenseComments: { oid: `${LICENSE_ENTRY}.13`, type: 'OctetString' },
  clmgmtFeatureName: { oid: `${FEATURE_ENTRY}.2`, type: 'OctetString' },
  clmgmtFeatureVersion: { oid: `${FEATURE_ENTRY}.3`, type: 'OctetString' },
  clmgmtFeatureValidityPeriodRemaining: { oid: `${FEATURE_ENTRY}.4`, type: 'Unsigned32' },
  clmgmtFeatureWhatIsCounted: { oid: `${FEATURE_ENTRY}.5`, type: 'OctetString' },
  // DateAndTime: an OCTET STRING of 8 or 11 binary octets (RFC 2579), carried as hex.
  clmgmtFeatureEndDate: { oid: `${FEATURE_ENTRY}.7`, type: 'OctetString' },
} as const satisfies Record<string, MibObject>;

export type LicenseMgmtObjectName = keyof typeof licenseMgmtObjects;

const n = (arc: number, objects: readonly LicenseMgmtObjectName[]): NotificationType<LicenseMgmtObjectName> => ({
  oid: `${CISCO_LICENSE_MGMT_MIB_NOTIFS}.${arc}`,
  objects,
});

/** All 14 NOTIFICATION-TYPEs with their OBJECTS clauses. */
export const licenseMgmtNotifications = {
  clmgmtLicenseExpired: n(1, ['clmgmtFeatureName', 'clmgmtFeatureVersion']),
  clmgmtLicenseExpiryWarning: n(2, [
    'clmgmtFeatureName',
    'clmgmtFeatureVersion',
    'clmgmtFeatureValidityPeriodRemaining',
  ]),
  clmgmtLicenseUsageCountExceeded: n(3, [
    'clmgmtLicenseFeatureName',
    'clmgmtLicenseFeatureVersion',
    'clmgmtLicenseMaxUsageCount',
    'clmgmtFeatureWhatIsCounted',
    'clmgmtLicenseComments',
  ]),
  clmgmtLicenseUsageCountAboutToExceed: n(4, [
    'clmgmtLicenseFeatureName',
    'clmgmtLicenseFeatureVersion',
    'clmgmtLicenseMaxUsageCount',
    'clmgmtLicenseUsageCountRemaining',
    'clmgmtFeatureWhatIsCounted',
    'clmgmtLicenseComments',
  ]),
  clmgmtLicenseInstalled: n(5, [
    'clmgmtLicenseFeatureName',
    'clmgmtLicenseFeatureVersion',
    'clmgmtLicenseType',
    'clmgmtLicenseComments',
  ]),
  clmgmtLicenseCleared: n(6, [
    'clmgmtLicenseFeatureName',
    'clmgmtLicenseFeatureVersion',
    'clmgmtLicenseType',
    'clmgmtLicenseComments',
  ]),
  clmgmtLicenseRevoked: n(7, [
    'clmgmtLicenseFeatureName',
    'clmgmtLicenseFeatureVersion',
    'clmgmtLicenseType',
    'clmgmtLicenseComments',
  ]),
  clmgmtLicenseEULAAccepted: n(8, ['clmgmtFeatureName', 'clmgmtFeatureVersion']),
  clmgmtLicenseNotEnforced: n(9, ['clmgmtFeatureName', 'clmgmtFeatureVersion']),
  clmgmtLicenseSubscriptionExpiryWarning: n(10, ['clmgmtFeatureName', 'clmgmtFeatureVersion', 'clmgmtFeatureEndDate']),
  clmgmtLicenseSubscriptionExtExpiryWarning: n(11, [
    'clmgmtFeatureName',
    'clmgmtFeatureVersion',
    'clmgmtFeatureEndDate',
  ]),
  clmgmtLicenseSubscriptionExpired: n(12, ['clmgmtFeatureName', 'clmgmtFeatureVersion', 'clmgmtFeatureEndDate']),
  clmgmtLicenseEvalRTUTransitionWarning: n(13, [
    'clmgmtFeatureName',
    'clmgmtFeatureVersion',
    'clmgmtFeatureValidityPeriodRemaining',
  ]),
  clmgmtLicenseEvalRTUTransition: n(14, ['clmgmtFeatureName', 'clmgmtFeatureVersion']),
} as const satisfies Record<string, NotificationType<LicenseMgmtObjectName>>;

export type LicenseMgmtNotificationName = keyof typeof licenseMgmtNotifications;

/** clmgmtLicenseType: the license line's types are the MIB's (protocol/license-line.ts). */
export const licenseType = licenseTypes;
export type LicenseType = LicenseLineType;

export interface LicenseMgmtTrapContext {
  /** The chassis entity; `1` on a standalone box (B.1). */
  entPhysicalIndex: number;
  /** A clmgmtLicensableFeatureTable row, instance `.<entPhysicalIndex>.<index>`. */
  feature?: {
    index: number;
    name: string;
    version: string;
    /** Seconds (UNITS "seconds"). */
    validityPeriodRemaining?: number;
    whatIsCounted?: string;
    /** Epoch ms, sent as an 11-octet UTC DateAndTime. */
    endDate?: number;
  };
  /** A clmgmtLicenseInfoTable row, instance `.<entPhysicalIndex>.<storeUsed>.<index>`. */
  license?: {
    storeUsed: number;
    index: number;
    featureName: string;
    featureVersion: string;
    type: LicenseType;
    maxUsageCount?: number;
    usageCountRemaining?: number;
    comments?: string;
  };
}

/** RFC 2579 DateAndTime in UTC: year(2), month, day, hour, minutes, seconds, deci-seconds, '+', 0, 0. */
export function dateAndTimeHex(t: number): string {
  const d = new Date(t);
  const year = d.getUTCFullYear();
  const octets = [
    year >> 8,
    year & 0xff,
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    Math.floor(d.getUTCMilliseconds() / 100),
    0x2b,
    0,
    0,
  ];
  return octets.map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function licenseMgmtNotification(
  name: LicenseMgmtNotificationName,
  context: LicenseMgmtTrapContext,
): SnmpNotification {
  const notification = licenseMgmtNotifications[name];
  if (!notification)
    throw new Error(
      `unknown CISCO-LICENSE-MGMT-MIB notification '${String(name)}'; valid: ${Object.keys(licenseMgmtNotifications).join(', ')}`,
    );
  const need = <T>(value: T | undefined, object: string, field: string): T => {
    if (value === undefined) throw missingContext(name, object, field);
    return value;
  };
  const feature = (
    object: string,
    pick: (f: NonNullable<LicenseMgmtTrapContext['feature']>) => string | number | undefined,
    field: string,
  ): VarbindValue => {
    const f = need(context.feature, object, 'feature');
    return { value: need(pick(f), object, `feature.${field}`), instance: `${context.entPhysicalIndex}.${f.index}` };
  };
  const license = (
    object: string,
    pick: (l: NonNullable<LicenseMgmtTrapContext['license']>) => string | number | undefined,
    field: string,
  ): VarbindValue => {
    const l = need(context.license, object, 'license');
    return {
      value: need(pick(l), object, `license.${field}`),
      instance: `${context.entPhysicalIndex}.${l.storeUsed}.${l.index}`,
    };
  };
  return buildNotification(name, notification, licenseMgmtObjects, (object) => {
    switch (object) {
      case 'clmgmtFeatureName':
        return feature(object, (f) => f.name, 'name');
      case 'clmgmtFeatureVersion':
        return feature(object, (f) => f.version, 'version');
      case 'clmgmtFeatureValidityPeriodRemaining':
        return feature(object, (f) => f.validityPeriodRemaining, 'validityPeriodRemaining');
      case 'clmgmtFeatureWhatIsCounted':
        return feature(object, (f) => f.whatIsCounted, 'whatIsCounted');
      case 'clmgmtFeatureEndDate': {
        const v = feature(object, (f) => f.endDate, 'endDate');
        return { ...v, value: dateAndTimeHex(v.value as number), hex: true };
      }
      case 'clmgmtLicenseFeatureName':
        return license(object, (l) => l.featureName, 'featureName');
      case 'clmgmtLicenseFeatureVersion':
        return license(object, (l) => l.featureVersion, 'featureVersion');
      case 'clmgmtLicenseType':
        return license(object, (l) => enumValue('clmgmtLicenseType', licenseType, l.type), 'type');
      case 'clmgmtLicenseMaxUsageCount':
        return license(object, (l) => l.maxUsageCount, 'maxUsageCount');
      case 'clmgmtLicenseUsageCountRemaining':
        return license(object, (l) => l.usageCountRemaining, 'usageCountRemaining');
      // The comment is a free text the MIB allows empty (B.1 example sends "").
      case 'clmgmtLicenseComments':
        return license(object, (l) => l.comments ?? '', 'comments');
    }
  });
}
