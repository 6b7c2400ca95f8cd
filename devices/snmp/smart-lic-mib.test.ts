import { describe, expect, it } from 'vitest';
import { loadMib } from './mib-files.test-support.ts';
import {
  CISCO_SLA_MIB_NOTIFS,
  CISCO_SLA_MIB_OBJECTS,
  CISCO_SMART_LIC_MIB,
  smartLicNotification,
  smartLicNotifications,
  smartLicObjects,
  type SmartLicNotificationName,
  type SmartLicTrapContext,
} from './smart-lic-mib.ts';

const { tree: mib, names } = loadMib('CISCO-SMART-LIC-MIB');
const UDI = 'PID:ISR4431/K9,SN:FOC1234X0AB';
const ENTITLEMENT = {
  index: 2,
  requestCount: 1,
  tag: 'regid.2014-12.com.cisco.ISR_4431_Security,1.0_x',
  version: '1.0',
  enforceMode: 'outOfCompliance',
  featureName: 'securityk9',
  exportAllowed: false,
} as const;
const FULL: SmartLicTrapContext = {
  udi: UDI,
  entitlement: ENTITLEMENT,
  overallEnforceMode: 'authorized',
  failureReason: 'deRegisterFailure',
  failureMessage: 'boom',
  exportFailureReason: 3,
  days: 7,
  initialAckState: 'notReceived',
};

describe('CISCO-SMART-LIC-MIB tables equal the MIB file', () => {
  it('roots: objects under .831.0, notifications under .831.1', () => {
    expect(mib.oid('ciscoSmartLicMIB')).toBe(CISCO_SMART_LIC_MIB);
    expect(mib.oid('ciscoSlaMIBObjects')).toBe(CISCO_SLA_MIB_OBJECTS);
    expect(mib.oid('ciscoSlaMIBNotifs')).toBe(CISCO_SLA_MIB_NOTIFS);
  });

  it('every OBJECT-TYPE, and only those, with its OID', () => {
    expect(Object.keys(smartLicObjects).sort()).toEqual(names('OBJECT-TYPE').sort());
    for (const [name, object] of Object.entries(smartLicObjects)) expect(object.oid, name).toBe(mib.oid(name));
  });

  it('all 53 NOTIFICATION-TYPEs with their OIDs and OBJECTS in order', () => {
    expect(Object.keys(smartLicNotifications).sort()).toEqual(names('NOTIFICATION-TYPE').sort());
    expect(Object.keys(smartLicNotifications)).toHaveLength(53);
    for (const [name, notification] of Object.entries(smartLicNotifications)) {
      expect(notification.oid, name).toBe(mib.oid(name));
      expect(notification.objects, name).toEqual(mib.get(name)!.objects);
    }
  });

  it('notification objects are accessible (have a wire type)', () => {
    for (const n of Object.values(smartLicNotifications))
      for (const o of n.objects) expect(smartLicObjects[o].type, o).not.toBeNull();
  });
});

describe('smartLicNotification', () => {
  it('builds every notification from a full context, varbinds in OBJECTS order', () => {
    for (const [name, def] of Object.entries(smartLicNotifications)) {
      const n = smartLicNotification(name as SmartLicNotificationName, FULL);
      expect(n.trapOid).toBe(def.oid);
      expect(n.name).toBe(name);
      expect(n.varbinds.map((v) => v.name)).toEqual(def.objects);
      for (const v of n.varbinds) expect(v.value, `${name} ${v.name}`).not.toBeUndefined();
    }
  });

  it('scalars get .0: RegisterSuccess carries ciscoSlaSUDIInfo.0', () => {
    expect(smartLicNotification('ciscoSlaSmartAgentNotifyRegisterSuccess', { udi: UDI })).toEqual({
      trapOid: '1.3.6.1.4.1.9.9.831.1.6',
      name: 'ciscoSlaSmartAgentNotifyRegisterSuccess',
      varbinds: [{ oid: '1.3.6.1.4.1.9.9.831.0.2.0', name: 'ciscoSlaSUDIInfo', type: 'OctetString', value: UDI }],
    });
  });

  it('table columns get .<entitlementIndex> and enums their MIB numbers', () => {
    const n = smartLicNotification('ciscoSlaSmartAgentNotifyEntitlementEnforceMode', {
      udi: UDI,
      entitlement: ENTITLEMENT,
    });
    expect(n.trapOid).toBe('1.3.6.1.4.1.9.9.831.1.15');
    expect(n.varbinds.map((v) => [v.oid, v.type, v.value])).toEqual([
      ['1.3.6.1.4.1.9.9.831.0.5.1.1.2.2', 'Unsigned32', 1],
      ['1.3.6.1.4.1.9.9.831.0.5.1.1.3.2', 'OctetString', ENTITLEMENT.tag],
      ['1.3.6.1.4.1.9.9.831.0.5.1.1.4.2', 'OctetString', '1.0'],
      ['1.3.6.1.4.1.9.9.831.0.5.1.1.5.2', 'Integer', 4],
      ['1.3.6.1.4.1.9.9.831.0.2.0', 'OctetString', UDI],
    ]);
    const exp = smartLicNotification('ciscoSlaSmartAgentNotifyExportControlledTag', {
      udi: UDI,
      entitlement: { ...ENTITLEMENT, exportAllowed: true },
    });
    expect(exp.varbinds[2]).toMatchObject({ oid: '1.3.6.1.4.1.9.9.831.0.5.1.1.8.2', value: 1 });
  });

  it('the overall enforcement mode (.1.1) goes as .0', () => {
    const n = smartLicNotification('ciscoSlaSmartAgentNotifyEnforcementMode', {
      udi: UDI,
      overallEnforceMode: 'evaluationPeriod',
    });
    expect(n.varbinds[1]).toEqual({
      oid: '1.3.6.1.4.1.9.9.831.0.5.1.1.5.0',
      name: 'ciscoSlaEntitlementEnforceMode',
      type: 'Integer',
      value: 6,
    });
  });

  it('DeRegisterFailed carries reason and message', () => {
    const n = smartLicNotification('ciscoSlaSmartAgentNotifyDeRegisterFailed', {
      udi: UDI,
      failureReason: 'deRegisterFailure',
      failureMessage: 'no answer',
    });
    expect(n.varbinds.slice(1).map((v) => [v.oid, v.value])).toEqual([
      ['1.3.6.1.4.1.9.9.831.0.9.1.0', 3],
      ['1.3.6.1.4.1.9.9.831.0.9.2.0', 'no answer'],
    ]);
  });

  it('TrustInstallFailed has no varbinds', () => {
    expect(smartLicNotification('ciscoSlaSmartAgentNotifyTrustInstallFailed', { udi: UDI }).varbinds).toEqual([]);
  });

  it('names what a context lacks', () => {
    expect(() => smartLicNotification('ciscoSlaSmartAgentNotifyEntitlementEnforceMode', { udi: UDI })).toThrow(
      'ciscoSlaSmartAgentNotifyEntitlementEnforceMode needs context.entitlement for its ciscoSlaEntitlementRequestCount varbind',
    );
    expect(() => smartLicNotification('ciscoSlaSmartAgentNotifyEnforcementMode', { udi: UDI })).toThrow(
      'needs context.overallEnforceMode',
    );
    expect(() =>
      smartLicNotification('ciscoSlaSmartAgentNotifyDeRegisterFailed', { udi: UDI, failureReason: 'invalid' }),
    ).toThrow('needs context.failureMessage');
    expect(() => smartLicNotification('ciscoSlaSmartAgentNotifyReportingRequired', { udi: UDI })).toThrow(
      'needs context.days',
    );
    expect(() => smartLicNotification('ciscoSlaSmartAgentNotifyExportHAMismatch', { udi: UDI })).toThrow(
      'needs context.exportFailureReason',
    );
    expect(() => smartLicNotification('ciscoSlaSmartAgentNotifyPolicyInitialACKState', { udi: UDI })).toThrow(
      'needs context.initialAckState',
    );
  });

  it('refuses unknown names and enum labels, listing the valid ones', () => {
    expect(() => smartLicNotification('ciscoSlaNope' as SmartLicNotificationName, FULL)).toThrow(
      /unknown CISCO-SMART-LIC-MIB notification 'ciscoSlaNope'; valid: ciscoSlaSmartAgentNotifyEnforcementMode, /,
    );
    expect(() =>
      smartLicNotification('ciscoSlaSmartAgentNotifyEnforcementMode', {
        udi: UDI,
        overallEnforceMode: 'fine' as never,
      }),
    ).toThrow("ciscoSlaEntitlementEnforceMode has no value 'fine'; valid: initialized, waiting, authorized");
  });
});
