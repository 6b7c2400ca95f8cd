import { describe, expect, it } from 'vitest';
import { loadMib } from './mib-files.test-support.ts';
import {
  CISCO_LICENSE_MGMT_MIB,
  CISCO_LICENSE_MGMT_MIB_NOTIFS,
  dateAndTimeHex,
  licenseMgmtNotification,
  licenseMgmtNotifications,
  licenseMgmtObjects,
  type LicenseMgmtNotificationName,
  type LicenseMgmtTrapContext,
} from './license-mgmt-mib.ts';

const { tree: mib, names } = loadMib('CISCO-LICENSE-MGMT-MIB');
const FULL: LicenseMgmtTrapContext = {
  entPhysicalIndex: 1,
  feature: {
    index: 4,
    name: 'securityk9',
    version: '1.0',
    validityPeriodRemaining: 86_400,
    whatIsCounted: 'sessions',
    endDate: Date.UTC(2025, 0, 31, 12, 30, 15, 250),
  },
  license: {
    storeUsed: 1,
    index: 2,
    featureName: 'securityk9',
    featureVersion: '1.0',
    type: 'permanent',
    maxUsageCount: 10,
    usageCountRemaining: 3,
  },
};

describe('CISCO-LICENSE-MGMT-MIB tables equal the MIB file', () => {
  it('roots: notifications under .543.0', () => {
    expect(mib.oid('ciscoLicenseMgmtMIB')).toBe(CISCO_LICENSE_MGMT_MIB);
    expect(mib.oid('ciscoLicenseMgmtMIBNotifs')).toBe(CISCO_LICENSE_MGMT_MIB_NOTIFS);
  });

  it('object OIDs', () => {
    for (const [name, object] of Object.entries(licenseMgmtObjects)) {
      expect(mib.get(name)?.macro, name).toBe('OBJECT-TYPE');
      expect(object.oid, name).toBe(mib.oid(name));
    }
  });

  it('all 14 notifications with OIDs and OBJECTS in order; every object they name is in the table', () => {
    expect(Object.keys(licenseMgmtNotifications).sort()).toEqual(names('NOTIFICATION-TYPE').sort());
    for (const [name, n] of Object.entries(licenseMgmtNotifications)) {
      expect(n.oid, name).toBe(mib.oid(name));
      expect(n.objects, name).toEqual(mib.get(name)!.objects);
    }
    const used = new Set(Object.values(licenseMgmtNotifications).flatMap((n) => n.objects));
    expect([...used].sort()).toEqual(Object.keys(licenseMgmtObjects).sort());
  });
});

describe('licenseMgmtNotification', () => {
  it('builds every notification from a full context', () => {
    for (const name of Object.keys(licenseMgmtNotifications) as LicenseMgmtNotificationName[]) {
      const n = licenseMgmtNotification(name, FULL);
      expect(n.varbinds.map((v) => v.name)).toEqual(licenseMgmtNotifications[name].objects);
    }
  });

  it('clmgmtLicenseInstalled: licence rows indexed entPhysicalIndex.store.index (B.1 example)', () => {
    const n = licenseMgmtNotification('clmgmtLicenseInstalled', FULL);
    expect(n.trapOid).toBe('1.3.6.1.4.1.9.9.543.0.5');
    expect(n.varbinds.map((v) => [v.oid, v.type, v.value])).toEqual([
      ['1.3.6.1.4.1.9.9.543.1.2.3.1.3.1.1.2', 'OctetString', 'securityk9'],
      ['1.3.6.1.4.1.9.9.543.1.2.3.1.4.1.1.2', 'OctetString', '1.0'],
      ['1.3.6.1.4.1.9.9.543.1.2.3.1.5.1.1.2', 'Integer', 4],
      ['1.3.6.1.4.1.9.9.543.1.2.3.1.13.1.1.2', 'OctetString', ''],
    ]);
  });

  it('usage-count notifications mix licence and feature rows', () => {
    const n = licenseMgmtNotification('clmgmtLicenseUsageCountExceeded', FULL);
    expect(n.varbinds.map((v) => v.oid)).toEqual([
      '1.3.6.1.4.1.9.9.543.1.2.3.1.3.1.1.2',
      '1.3.6.1.4.1.9.9.543.1.2.3.1.4.1.1.2',
      '1.3.6.1.4.1.9.9.543.1.2.3.1.10.1.1.2',
      '1.3.6.1.4.1.9.9.543.1.2.4.1.5.1.4',
      '1.3.6.1.4.1.9.9.543.1.2.3.1.13.1.1.2',
    ]);
  });

  it('end dates go as DateAndTime octets in hex', () => {
    const n = licenseMgmtNotification('clmgmtLicenseSubscriptionExpired', FULL);
    expect(n.varbinds[2]).toEqual({
      oid: '1.3.6.1.4.1.9.9.543.1.2.4.1.7.1.4',
      name: 'clmgmtFeatureEndDate',
      type: 'OctetString',
      value: '07e9011f0c1e0f022b0000',
      hex: true,
    });
    expect(dateAndTimeHex(Date.UTC(1993, 2, 1))).toBe('07c90301000000002b0000');
  });

  it('names what a context lacks and refuses unknown names and types', () => {
    expect(() => licenseMgmtNotification('clmgmtLicenseExpired', { entPhysicalIndex: 1 })).toThrow(
      'clmgmtLicenseExpired needs context.feature for its clmgmtFeatureName varbind',
    );
    expect(() => licenseMgmtNotification('clmgmtLicenseInstalled', { entPhysicalIndex: 1 })).toThrow(
      'needs context.license',
    );
    expect(() =>
      licenseMgmtNotification('clmgmtLicenseExpiryWarning', {
        entPhysicalIndex: 1,
        feature: { index: 1, name: 'a', version: '1' },
      }),
    ).toThrow('needs context.feature.validityPeriodRemaining');
    expect(() =>
      licenseMgmtNotification('clmgmtLicenseInstalled', {
        ...FULL,
        license: { ...FULL.license!, type: 'forever' as never },
      }),
    ).toThrow("clmgmtLicenseType has no value 'forever'; valid: demo, extension");
    expect(() => licenseMgmtNotification('clmgmtNope' as LicenseMgmtNotificationName, FULL)).toThrow(
      "unknown CISCO-LICENSE-MGMT-MIB notification 'clmgmtNope'; valid: clmgmtLicenseExpired",
    );
  });
});
