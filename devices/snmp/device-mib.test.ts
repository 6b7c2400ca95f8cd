import { describe, expect, it } from 'vitest';
import { DAY } from '#protocol';
import { makeView, UNREGISTERED_SMART } from '../cli/fake-cli-device.test-support.ts';
import type { SmartLicensingView } from '../licensing/smart-view.ts';
import { deviceMib, sysDescr } from './device-mib.ts';
import { loadMib } from './mib-files.test-support.ts';
import { compareArcs, mibGet, mibMissing, mibNext, mibTable, type MibTable } from './mib-table.ts';
import { smartLicObjects } from './smart-lic-mib.ts';

const NOW = Date.UTC(2024, 2, 13, 8, 9, 30);
const REGISTERED: SmartLicensingView = {
  ...UNREGISTERED_SMART,
  registration: {
    status: 'registered',
    smartAccount: 'Lab Corp',
    virtualAccount: 'east',
    exportControlled: true,
    initialRegistration: { ok: true, at: NOW },
    nextRenewalAttempt: NOW + 180 * DAY,
    registrationExpires: NOW + 365 * DAY,
  },
  authorization: {
    status: 'authorized',
    since: NOW,
    lastCommunicationAttempt: { ok: true, at: NOW },
    nextCommunicationAttempt: NOW + 30 * DAY,
    communicationDeadline: NOW + 90 * DAY,
    evaluationRemainingMs: 90 * DAY,
  },
  entitlements: [
    {
      tag: 'regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53',
      shortName: 'advantagek9',
      description: 'C9300 Network Advantage',
      feature: 'network-advantage',
      count: 1,
      version: '1.0',
      enforceMode: 'authorized',
      exportControlled: false,
    },
    {
      tag: 'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff02',
      shortName: 'c9300_dna_advantage',
      description: '',
      feature: 'dna-advantage',
      count: 2,
      version: '1.0',
      enforceMode: 'outOfCompliance',
      exportControlled: true,
    },
  ],
};

const value = (table: MibTable, oid: string) => mibGet(table, oid)?.value;
const sla = (name: keyof typeof smartLicObjects, instance = '0') => `${smartLicObjects[name].oid}.${instance}`;

describe('deviceMib', () => {
  it('is sorted in OID order, once each, and every object is an OBJECT-TYPE of the MIB files', () => {
    const table = deviceMib(makeView({ smart: REGISTERED }));
    for (let i = 1; i < table.length; i++) expect(compareArcs(table[i - 1]!.arcs, table[i]!.arcs)).toBeLessThan(0);
    const objects = new Set<string>();
    for (const module of ['SNMPv2-MIB', 'ENTITY-MIB', 'CISCO-SMART-LIC-MIB', 'CISCO-LICENSE-MGMT-MIB']) {
      const { tree, names } = loadMib(module);
      for (const name of names('OBJECT-TYPE')) objects.add(tree.oid(name));
    }
    const unknown = table.filter((e) => !objects.has(e.arcs.slice(0, e.objectArcs).join('.')));
    expect(unknown.map((e) => e.oid)).toEqual([]);
  });

  it('serves the system group, the chassis entity and the Smart Licensing state from the view', () => {
    const base = makeView({ hostname: 'sw-lyon-01', uptimeMs: 3 * DAY + 1234, smart: REGISTERED });
    const view = { ...base, snmp: { ...base.snmp, config: { ...base.snmp.config, location: 'Lyon' } } };
    const table = deviceMib(view);
    expect(value(table, '1.3.6.1.2.1.1.1.0')).toBe(
      'Cisco IOS Software [Gibraltar], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.12.4, RELEASE SOFTWARE (fc1)',
    );
    expect(value(table, '1.3.6.1.2.1.1.2.0')).toBe('1.3.6.1.4.1.9.1');
    expect(value(table, '1.3.6.1.2.1.1.3.0')).toBe(3 * 8_640_000 + 123);
    expect(value(table, '1.3.6.1.2.1.1.5.0')).toBe('sw-lyon-01');
    expect(value(table, '1.3.6.1.2.1.1.4.0')).toBe('');
    expect(value(table, '1.3.6.1.2.1.1.6.0')).toBe('Lyon');
    expect(value(table, '1.3.6.1.2.1.47.1.1.1.1.5.1')).toBe(3); // chassis(3)
    expect(value(table, '1.3.6.1.2.1.47.1.1.1.1.11.1')).toBe('FCW2144L045');
    expect(value(table, '1.3.6.1.2.1.47.1.1.1.1.13.1')).toBe('C9300-24P');
    expect(value(table, sla('ciscoSlaRegistrationStatus'))).toBe(5);
    expect(value(table, sla('ciscoSlaVirtualAccount'))).toBe('east');
    expect(value(table, sla('ciscoSlaEnterpriseAccountName'))).toBe('Lab Corp');
    expect(value(table, sla('ciscoSlaNextCertificateExpireTime'))).toBe(Math.floor((NOW + 365 * DAY) / 1000));
    expect(value(table, sla('ciscoSlaRegisterSuccess'))).toBe(1);
    expect(value(table, sla('ciscoSlaAuthComplianceStatus'))).toBe('AUTHORIZED');
    expect(value(table, sla('ciscoSlaAuthExpireTime'))).toBe(Math.floor((NOW + 90 * DAY) / 1000));
    expect(value(table, sla('ciscoSlaAuthEvalPeriodInUse'))).toBe(2);
    expect(value(table, sla('ciscoSlaEntitlementTag', '2'))).toMatch(/c9300_dna_advantage/);
    expect(value(table, sla('ciscoSlaEntitlementRequestCount', '2'))).toBe(2);
    expect(value(table, sla('ciscoSlaEntitlementEnforceMode', '1'))).toBe(3); // authorized(3)
    expect(value(table, sla('ciscoSlaEntitlementEnforceMode', '2'))).toBe(4); // outOfCompliance(4)
    expect(value(table, sla('ciscoSlaEntitlementExportAllowed', '2'))).toBe(1);
    // Not known, so not served: a blank description, a failure reason of a success, an instance id.
    expect(mibGet(table, sla('ciscoSlaEntitlementDescription', '2'))).toBeUndefined();
    expect(mibGet(table, sla('ciscoSlaRegisterFailureReason'))).toBeUndefined();
    expect(mibGet(table, sla('ciscoSlaInstanceId'))).toBeUndefined();
  });

  it('follows the view: registration, eval, hostname and uptime change the next table', () => {
    const before = deviceMib(makeView({ uptimeMs: 0 }));
    const after = deviceMib(makeView({ hostname: 'edge-1', uptimeMs: 10_000, smart: REGISTERED }));
    expect(value(before, sla('ciscoSlaRegistrationStatus'))).toBe(1);
    expect(value(before, sla('ciscoSlaAuthEvalPeriodInUse'))).toBe(1);
    expect(value(before, sla('ciscoSlaAuthEvalPeriodLeft'))).toBe(90 * 86_400);
    expect(mibGet(before, sla('ciscoSlaVirtualAccount'))).toBeUndefined();
    expect(value(after, sla('ciscoSlaRegistrationStatus'))).toBe(5);
    expect(value(after, '1.3.6.1.2.1.1.5.0')).toBe('edge-1');
    expect(value(after, '1.3.6.1.2.1.1.3.0')).toBe(1000);
    const failed = deviceMib(
      makeView({
        smart: {
          ...REGISTERED,
          registration: {
            status: 'retrying',
            exportControlled: false,
            initialRegistration: { ok: false, at: NOW, reason: 'Fail to send out Call Home HTTP message.' },
            nextRegistrationAttempt: NOW + 15 * 60_000,
          },
        },
      }),
    );
    expect(value(failed, sla('ciscoSlaRegistrationStatus'))).toBe(4);
    expect(value(failed, sla('ciscoSlaRegisterSuccess'))).toBe(2);
    expect(value(failed, sla('ciscoSlaRegisterFailureReason'))).toBe('Fail to send out Call Home HTTP message.');
    expect(value(failed, sla('ciscoSlaRegisterNextRetryTime'))).toBe(Math.floor((NOW + 15 * 60_000) / 1000));
  });

  it('serves CISCO-LICENSE-MGMT-MIB rows of the running level; a traditional-only release has no Smart MIB', () => {
    const platform = makeView().platform;
    const release = { version: '15.7(3)M5', os: 'IOS', image: 'c2900-universalk9-mz.SPA.157-3.M5.bin' } as const;
    const view = makeView({
      licensingMode: 'traditional',
      release: { ...release, modes: ['traditional'], defaultMode: 'traditional' },
      bootLevel: { current: 'network-essentials', nextReload: 'network-advantage' },
    });
    const table = deviceMib(view);
    expect(sysDescr(view)).toBe(
      'Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M5, RELEASE SOFTWARE (fc1)',
    );
    expect(table.some((e) => e.oid.startsWith('1.3.6.1.4.1.9.9.831.'))).toBe(false);
    const clm = '1.3.6.1.4.1.9.9.543.1.2';
    expect(value(table, `${clm}.3.1.3.1.1.1`)).toBe('network-essentials'); // clmgmtLicenseFeatureName
    expect(value(table, `${clm}.3.1.5.1.1.1`)).toBe(4); // clmgmtLicenseType permanent(4)
    expect(value(table, `${clm}.3.1.14.1.1.1`)).toBe(3); // clmgmtLicenseStatus inUse(3)
    expect(mibGet(table, `${clm}.3.1.3.1.1.2`)).toBeUndefined();
    const features = [...platform.levels, ...(platform.addons ?? [])].map((l) => l.name);
    expect(features.map((_, i) => value(table, `${clm}.4.1.2.1.${i + 1}`))).toEqual(features);
  });
});

describe('mibGet, mibNext, mibMissing', () => {
  const table = mibTable([
    { object: '1.3.6.1.2.1.1.5', instance: [0], type: 'OctetString', value: 'b' },
    { object: '1.3.6.1.2.1.1.1', instance: [0], type: 'OctetString', value: 'a' },
    { object: '1.3.6.1.4.1.9.9.831.0.5.1.1.3', instance: [10], type: 'OctetString', value: 'd' },
    { object: '1.3.6.1.4.1.9.9.831.0.5.1.1.3', instance: [9], type: 'OctetString', value: 'c' },
  ]);

  it('sorts numerically, arc by arc (9 before 10), and refuses an OID twice', () => {
    expect(table.map((e) => e.value)).toEqual(['a', 'b', 'c', 'd']);
    expect(() =>
      mibTable([
        { object: '1.3.6', instance: [1], type: 'Integer', value: 1 },
        { object: '1.3.6.1', instance: [], type: 'Integer', value: 2 },
      ]),
    ).toThrow('1.3.6.1 twice');
  });

  it('gets exact instances only', () => {
    expect(mibGet(table, '1.3.6.1.2.1.1.5.0')?.value).toBe('b');
    expect(mibGet(table, '.1.3.6.1.2.1.1.5.0')?.value).toBe('b');
    expect(mibGet(table, [1, 3, 6, 1, 2, 1, 1, 5])).toBeUndefined();
    expect(mibGet(table, '1.3.6.1.2.1.1.5.0.1')).toBeUndefined();
  });

  it('walks to the next instance and ends after the last', () => {
    expect(mibNext(table, '0.0')?.value).toBe('a');
    expect(mibNext(table, '1.3.6.1.2.1.1.1.0')?.value).toBe('b');
    expect(mibNext(table, '1.3.6.1.2.1.1.2')?.value).toBe('b');
    expect(mibNext(table, '1.3.6.1.2.1.1.5.0')?.value).toBe('c');
    expect(mibNext(table, '1.3.6.1.4.1.9.9.831.0.5.1.1.3.9.5')?.value).toBe('d');
    expect(mibNext(table, '1.3.6.1.4.1.9.9.831.0.5.1.1.3.10')).toBeUndefined();
    expect(mibNext(table, '2.0')).toBeUndefined();
  });

  it('tells noSuchInstance (an object it has instances of) from noSuchObject', () => {
    expect(mibMissing(table, '1.3.6.1.2.1.1.5')).toBe('noSuchInstance');
    expect(mibMissing(table, '1.3.6.1.2.1.1')).toBe('noSuchObject');
    expect(mibMissing(table, '1.3.6.1.2.1.1.5.1')).toBe('noSuchInstance');
    expect(mibMissing(table, '1.3.6.1.4.1.9.9.831.0.5.1.1.3.11')).toBe('noSuchInstance');
    expect(mibMissing(table, '1.3.6.1.4.1.9.9.831.0.5.1.1.3.1')).toBe('noSuchInstance');
    expect(mibMissing(table, '1.3.6.1.2.1.1.3.0')).toBe('noSuchObject');
    expect(() => mibGet(table, 'sysName.0')).toThrow("not an OID: 'sysName.0'");
  });
});
