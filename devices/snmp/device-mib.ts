/**
 * A device's whole readable MIB, as a pure function of its DeviceView: the SNMPv2-MIB system group, the
 * ENTITY-MIB chassis row, CISCO-SMART-LIC-MIB (Smart-capable releases) and the CISCO-LICENSE-MGMT-MIB
 * rows of the running boot level. Every read of the view gives the live state (a fault, a reload, a
 * deregistration changes the next table); what the view does not know is omitted, not invented.
 */
import type { DeviceView } from '../cli/cli-device.ts';
import { showVersion } from '../cli/show-version.ts';
import { CISCO_LICENSE_MGMT_MIB, licenseMgmtObjects, licenseType } from './license-mgmt-mib.ts';
import type { MibObject } from './mib-notification.ts';
import { mibTable, type MibInstance, type MibTable } from './mib-table.ts';
import { smartLicInstances, truth, type SmartLicMibOptions } from './smart-lic-instances.ts';
import {
  CISCO_PRODUCTS,
  entPhysicalObjects,
  PHYSICAL_CLASS_CHASSIS,
  systemObjects,
  ZERO_DOT_ZERO,
} from './standard-mibs.ts';

/** The chassis entity of a standalone box (reference B.1); MIB-543 rows are indexed under it. */
export const CHASSIS_INDEX = 1;
/** The one licence store (clmgmtLicenseStoreUsed) the lab's devices have. */
const LICENSE_STORE = 1;

/** clmgmtLicenseInfoEntry columns the notification table (license-mgmt-mib.ts) has no use for. */
const LICENSE_ENTRY = `${CISCO_LICENSE_MGMT_MIB}.1.2.3.1`;
const licenseInfoColumns = {
  clmgmtLicenseCounted: { oid: `${LICENSE_ENTRY}.6`, type: 'Integer' },
  clmgmtLicenseStatus: { oid: `${LICENSE_ENTRY}.14`, type: 'Integer' },
} as const satisfies Record<string, MibObject>;
/** clmgmtLicenseStatus inUse(3). */
const LICENSE_IN_USE = 3;

/** IOS XE release trains as sysDescr brackets them (`Cisco IOS Software [Gibraltar], …`): [major, minors, name]. */
const XE_TRAINS: readonly [number, number, number, string][] = [
  [16, 3, 3, 'Denali'],
  [16, 4, 6, 'Everest'],
  [16, 7, 9, 'Fuji'],
  [16, 10, 12, 'Gibraltar'],
  [17, 1, 3, 'Amsterdam'],
  [17, 4, 6, 'Bengaluru'],
  [17, 7, 9, 'Cupertino'],
  [17, 10, 12, 'Dublin'],
];

function train(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)\./.exec(version);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return XE_TRAINS.find(([a, from, to]) => a === major && minor >= from && minor <= to)?.[3];
}

/**
 * `show version`'s `Cisco IOS Software, <product> Software (<image>), Version <v>, RELEASE SOFTWARE` line (one
 * source for both), with the train of IOS XE 16/17 and the build suffix. `(fc1)`: the lab has no build numbers.
 */
export function sysDescr(view: DeviceView): string {
  const line = showVersion(view)
    .split('\n')
    .find((l) => l.startsWith('Cisco IOS Software, '))!;
  const t = view.release.os === 'IOS XE' ? train(view.release.version) : undefined;
  return `${t ? line.replace('Cisco IOS Software,', `Cisco IOS Software [${t}],`) : line} (fc1)`;
}

function systemInstances(view: DeviceView): MibInstance[] {
  const values: Record<keyof typeof systemObjects, number | string> = {
    sysDescr: sysDescr(view),
    // The kinds data holds no per-model products OID, so every model answers the generic ciscoProducts.
    sysObjectID: CISCO_PRODUCTS,
    // TimeTicks are hundredths of a second and wrap at 2^32 (≈ 497 days).
    sysUpTime: Math.floor(view.uptimeMs / 10) % 2 ** 32,
    sysContact: view.snmp.config.contact ?? '',
    sysName: view.hostname,
    sysLocation: view.snmp.config.location ?? '',
    // Layers 2 (datalink) and 3 (internet): 2 + 4.
    sysServices: 6,
  };
  return Object.entries(systemObjects).map(([name, { oid, type }]) => ({
    object: oid,
    instance: [0],
    type,
    value: values[name as keyof typeof systemObjects],
  }));
}

function chassisInstances(view: DeviceView): MibInstance[] {
  const values: Record<keyof typeof entPhysicalObjects, number | string> = {
    // ISR 4000's pattern (`Cisco ISR4331 Chassis`); the kinds data has no per-model inventory DESCR.
    entPhysicalDescr: `Cisco ${view.udi.pid} Chassis`,
    // ENTITY-MIB: { 0 0 } when the vendor type is unknown (no CISCO-ENTITY-VENDORTYPE-OID-MIB data).
    entPhysicalVendorType: ZERO_DOT_ZERO,
    entPhysicalContainedIn: 0,
    entPhysicalClass: PHYSICAL_CLASS_CHASSIS,
    entPhysicalParentRelPos: -1,
    entPhysicalName: 'Chassis',
    // Cisco carries the UDI's VID here.
    entPhysicalHardwareRev: view.platform.vid,
    entPhysicalSoftwareRev: view.release.version,
    entPhysicalSerialNum: view.udi.sn,
    entPhysicalMfgName: 'Cisco Systems, Inc.',
    entPhysicalModelName: view.udi.pid,
    entPhysicalIsFRU: truth(true),
  };
  return Object.entries(entPhysicalObjects).map(([name, { oid, type }]) => ({
    object: oid,
    instance: [CHASSIS_INDEX],
    type,
    value: values[name as keyof typeof entPhysicalObjects],
  }));
}

/**
 * clmgmtLicensableFeatureTable: every level, add-on and feature licence of the platform (index from 1);
 * clmgmtLicenseInfoTable: the running level and add-on, in use. Traditional levels are `Permanent` as in
 * `show version` (version-licensing-lines.ts); a Smart licence has no clmgmtLicenseType value, so none.
 * Feature versions, validity periods and dates are not in the view.
 */
function licenseMgmtInstances(view: DeviceView): MibInstance[] {
  const out: MibInstance[] = [];
  const put = (object: MibObject, instance: number[], value: number | string): void => {
    out.push({ object: object.oid, instance, type: object.type!, value });
  };
  const p = view.platform;
  const features = [...p.levels, ...(p.addons ?? []), ...p.features];
  features.forEach((f, i) => put(licenseMgmtObjects.clmgmtFeatureName, [CHASSIS_INDEX, i + 1], f.name));
  const b = view.bootLevel;
  const running = [b.current, ...(b.currentAddon ? [b.currentAddon] : [])];
  running.forEach((name, i) => {
    const index = [CHASSIS_INDEX, LICENSE_STORE, i + 1];
    put(licenseMgmtObjects.clmgmtLicenseFeatureName, index, name);
    if (view.licensingMode === 'traditional') put(licenseMgmtObjects.clmgmtLicenseType, index, licenseType.permanent);
    put(licenseInfoColumns.clmgmtLicenseCounted, index, truth(false));
    put(licenseInfoColumns.clmgmtLicenseStatus, index, LICENSE_IN_USE);
  });
  return out;
}

export function deviceMib(view: DeviceView, options: SmartLicMibOptions = {}): MibTable {
  return mibTable([
    ...systemInstances(view),
    ...chassisInstances(view),
    ...(view.release.modes.includes('smart') ? smartLicInstances(view.smart, options) : []),
    ...licenseMgmtInstances(view),
  ]);
}
