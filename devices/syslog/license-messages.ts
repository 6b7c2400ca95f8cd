/**
 * Traditional licensing messages (traditional-licensing-snmp-platforms.md A.6): %LICENSE and
 * %IOS_LICENSE_IMAGE_APPLICATION. "confirmed" texts are captured; "recalled" ones are the reference's
 * recollection of the IOS System Message Guide ([chars] filled in), not verified. In these messages the
 * UDI is `PID:SN` (and may use a shorter PID than `show license udi`), so callers pass it.
 */
import {
  licenseMgmtNotification,
  type LicenseMgmtNotificationName,
  type LicenseMgmtTrapContext,
} from '../snmp/license-mgmt-mib.ts';
import { defineMessages, type NotificationLink } from './message-definition.ts';

export const LICENSE = 'LICENSE';
export const IOS_LICENSE_IMAGE_APPLICATION = 'IOS_LICENSE_IMAGE_APPLICATION';

function trap<P>(name: LicenseMgmtNotificationName): NotificationLink<P, LicenseMgmtTrapContext> {
  return { name, build: (context) => licenseMgmtNotification(name, context) };
}

/** `Feature <name> <version>` plus `UDI=<pid>:<sn>`. */
interface Feature {
  feature: string;
  version: string;
  udi: string;
}
/** `StoreIndex=0:Primary License Storage`. */
interface Store {
  storeIndex: number;
  storeName: string;
}

export const licenseMessages = defineMessages(LICENSE, {
  INSTALL: {
    severity: 6,
    text: (p: Feature & Store) =>
      `Feature ${p.feature} ${p.version} was installed in this device. UDI=${p.udi}; StoreIndex=${p.storeIndex}:${p.storeName}`,
    notification: trap('clmgmtLicenseInstalled'),
    source: 'A.6 confirmed (S-CCNA60)',
  },
  EULA_ACCEPTED: {
    severity: 6,
    text: (p: Feature & Store) =>
      `EULA for feature ${p.feature} ${p.version} has been accepted. UDI=${p.udi}; StoreIndex=${p.storeIndex}:${p.storeName}`,
    notification: trap('clmgmtLicenseEULAAccepted'),
    source: 'A.6 confirmed (S-CSR)',
  },
  EULA_ACCEPT_ALL: {
    severity: 6,
    text: () => 'The Right to Use End User License Agreement is accepted',
    source: 'A.6 confirmed (S-ASR903)',
  },
  REMOVE: {
    severity: 6,
    text: (p: Feature & Store) =>
      `Feature ${p.feature} ${p.version} was removed from this device. UDI=${p.udi}; StoreIndex=${p.storeIndex}:${p.storeName}`,
    notification: trap('clmgmtLicenseCleared'),
    source: 'A.6 recalled',
  },
  // Lab wording in REMOVE's form: A.4/A.8 say `license revoke` logs, no template is recalled.
  REVOKED: {
    severity: 6,
    text: (p: Feature & Store) =>
      `Feature ${p.feature} ${p.version} was revoked from this device. UDI=${p.udi}; StoreIndex=${p.storeIndex}:${p.storeName}`,
    notification: trap('clmgmtLicenseRevoked'),
    source: 'lab wording (A.4, A.8: revoke logs and sends clmgmtLicenseRevoked)',
  },
  UPDATE: {
    severity: 6,
    text: (p: Feature & Store) =>
      `Feature ${p.feature} ${p.version} was updated on this device. UDI=${p.udi}; StoreIndex=${p.storeIndex}:${p.storeName}`,
    source: 'A.6 recalled',
  },
  RECOVERED: {
    severity: 6,
    text: (p: { udi: string }) => `The IOS license storage on this device was recovered. UDI=${p.udi}`,
    source: 'A.6 recalled',
  },
  EXPIRED: {
    severity: 1,
    // `detail` is the recalled third [chars] (e.g. empty, or how the feature keeps running until reload).
    text: (p: Feature & { detail: string }) =>
      `License for feature ${p.feature} ${p.version} has expired ${p.detail}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseExpired'),
    source: 'A.6 recalled',
  },
  EXPIRING: {
    severity: 1,
    text: (p: Feature & { remaining: string }) =>
      `License for feature ${p.feature} ${p.version} will expire in ${p.remaining}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseExpiryWarning'),
    source: 'A.6 recalled',
  },
  // Lab wording (A.9 gives the notifications, no %LICENSE text is recalled for them): severity 4, warnings.
  USAGE_COUNT_ABOUT_TO_EXCEED: {
    severity: 4,
    text: (p: Feature & { inUse: number; licensed: number; counted: string }) =>
      `Feature ${p.feature} ${p.version} count is about to exceed: ${p.inUse} of ${p.licensed} ${p.counted} in use. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseUsageCountAboutToExceed'),
    source: 'lab wording (A.9: clmgmtLicenseUsageCountAboutToExceed at 80 % of the count)',
  },
  USAGE_COUNT_EXCEEDED: {
    severity: 4,
    text: (p: Feature & { licensed: number; counted: string }) =>
      `Feature ${p.feature} ${p.version} count has reached its licensed ${p.licensed} ${p.counted}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseUsageCountExceeded'),
    source: 'lab wording (A.9: clmgmtLicenseUsageCountExceeded when the count is reached)',
  },
  ENFORCEMENT: {
    severity: 1,
    text: (p: Feature) => `Feature ${p.feature} ${p.version} running without a License. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseNotEnforced'),
    source: 'A.6 recalled',
  },
  REQUEST_FAILED: {
    severity: 1,
    text: (p: Feature) => `License request for feature ${p.feature} ${p.version} failed. UDI=${p.udi}`,
    source: 'A.6 recalled',
  },
  TRANSITION: {
    severity: 1,
    text: (p: Feature & { to: string }) =>
      `EULA must be accepted for feature ${p.feature} ${p.version} upon transition to ${p.to}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseEvalRTUTransition'),
    source: 'A.6 recalled',
  },
  VALIDITY_ENDING: {
    severity: 1,
    text: (p: Feature & { on: string }) => `Feature ${p.feature} ${p.version} will expire on ${p.on}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseSubscriptionExpiryWarning'),
    source: 'A.6 recalled',
  },
  VALIDITY_EXT_ENDING: {
    severity: 1,
    // The recalled template has one [chars] before "in grace period": no version.
    text: (p: Omit<Feature, 'version'> & { on: string }) =>
      `Feature ${p.feature} in grace period and will expire on ${p.on}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseSubscriptionExtExpiryWarning'),
    source: 'A.6 recalled',
  },
  VALIDITY_EXPIRED: {
    severity: 1,
    text: (p: Feature & { on: string }) => `Feature ${p.feature} ${p.version} has expired on ${p.on}. UDI=${p.udi}`,
    notification: trap('clmgmtLicenseSubscriptionExpired'),
    source: 'A.6 recalled',
  },
});

export const imageLicenseMessages = defineMessages(IOS_LICENSE_IMAGE_APPLICATION, {
  LICENSE_LEVEL: {
    severity: 6,
    // `license`: the level running now, or `No valid license found` (switch without a licence).
    text: (p: { module: string; nextReboot: string; license: string }) =>
      `Module name = ${p.module} Next reboot level = ${p.nextReboot} and License = ${p.license}`,
    source: 'A.6 confirmed (S-CCNA60, S-CSR, boot logs)',
  },
});
