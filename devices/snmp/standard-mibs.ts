/**
 * The IETF objects a device MIB serves besides the Cisco licensing ones: the SNMPv2-MIB system group
 * (RFC 3418, devices/snmp/mibs/SNMPv2-MIB.my) and ENTITY-MIB's entPhysicalEntry columns (RFC 4133,
 * devices/snmp/mibs/ENTITY-MIB.my).
 */
import type { VarbindType } from '../events/device-event.ts';
import type { MibObject } from './mib-notification.ts';

/** system ::= { mib-2 1 } */
const SYSTEM = '1.3.6.1.2.1.1';
/** entPhysicalEntry ::= { entPhysicalTable 1 }, INDEX { entPhysicalIndex } */
const ENT_PHYSICAL_ENTRY = '1.3.6.1.2.1.47.1.1.1.1';

/** ciscoProducts (CISCO-SMI): the parent of every per-model sysObjectID. */
export const CISCO_PRODUCTS = '1.3.6.1.4.1.9.1';
/** zeroDotZero (SNMPv2-SMI): entPhysicalVendorType when the vendor type is unknown (ENTITY-MIB). */
export const ZERO_DOT_ZERO = '0.0';

const s = (arc: number, type: VarbindType) => ({ oid: `${SYSTEM}.${arc}`, type });
const e = (arc: number, type: VarbindType) => ({ oid: `${ENT_PHYSICAL_ENTRY}.${arc}`, type });

export const systemObjects = {
  sysDescr: s(1, 'OctetString'),
  sysObjectID: s(2, 'ObjectIdentifier'),
  sysUpTime: s(3, 'TimeTicks'),
  sysContact: s(4, 'OctetString'),
  sysName: s(5, 'OctetString'),
  sysLocation: s(6, 'OctetString'),
  sysServices: s(7, 'Integer'),
} as const satisfies Record<string, MibObject>;

export const entPhysicalObjects = {
  entPhysicalDescr: e(2, 'OctetString'),
  entPhysicalVendorType: e(3, 'ObjectIdentifier'),
  entPhysicalContainedIn: e(4, 'Integer'),
  entPhysicalClass: e(5, 'Integer'),
  entPhysicalParentRelPos: e(6, 'Integer'),
  entPhysicalName: e(7, 'OctetString'),
  entPhysicalHardwareRev: e(8, 'OctetString'),
  entPhysicalSoftwareRev: e(10, 'OctetString'),
  entPhysicalSerialNum: e(11, 'OctetString'),
  entPhysicalMfgName: e(12, 'OctetString'),
  entPhysicalModelName: e(13, 'OctetString'),
  entPhysicalIsFRU: e(16, 'Integer'),
} as const satisfies Record<string, MibObject>;

/** PhysicalClass chassis(3). */
export const PHYSICAL_CLASS_CHASSIS = 3;
